"""reviews, pools, decisions

Revision ID: 13d055d0129a
Revises: 04b200eed84c
Create Date: 2026-11-22 10:19:42.966576

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '13d055d0129a'
down_revision = '04b200eed84c'
branch_labels = None
depends_on = None


POSTGRES_FINAL_DECISION = """
CREATE FUNCTION decision_is_final() RETURNS trigger AS $$
BEGIN
    IF OLD.state = 'confirmed' THEN
        RAISE EXCEPTION 'decision % is confirmed and final', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER decision_is_final BEFORE UPDATE OR DELETE ON decision
    FOR EACH ROW EXECUTE FUNCTION decision_is_final();
"""

SQLITE_FINAL_DECISION = [
    """
    CREATE TRIGGER decision_final_update BEFORE UPDATE ON decision
    WHEN OLD.state = 'confirmed'
    BEGIN SELECT RAISE(ABORT, 'decision is confirmed and final'); END
    """,
    """
    CREATE TRIGGER decision_final_delete BEFORE DELETE ON decision
    WHEN OLD.state = 'confirmed'
    BEGIN SELECT RAISE(ABORT, 'decision is confirmed and final'); END
    """,
]


def upgrade():
    op.create_table('reviewer_pool',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['funding_round.id'], name=op.f('fk_reviewer_pool_round_id_funding_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_reviewer_pool_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviewer_pool')),
    sa.UniqueConstraint('round_id', 'user_id', name='uq_reviewer_pool_member')
    )
    with op.batch_alter_table('reviewer_pool', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reviewer_pool_user_id'), ['user_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=10), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=12), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('send_back_reason', sa.Text(), nullable=False),
    sa.CheckConstraint("(outcome = 'approve' AND amount IS NOT NULL AND amount > 0) OR (outcome = 'reject' AND amount IS NULL)", name=op.f('ck_decision_amount_matches_outcome')),
    sa.CheckConstraint("(state = 'proposed' AND decided_by_id IS NULL AND decided_at IS NULL) OR (state <> 'proposed' AND decided_by_id IS NOT NULL AND decided_at IS NOT NULL)", name=op.f('ck_decision_decided_when_not_proposed')),
    sa.CheckConstraint("outcome IN ('approve', 'reject')", name=op.f('ck_decision_known_outcome')),
    sa.CheckConstraint("state IN ('proposed', 'confirmed', 'sent_back')", name=op.f('ck_decision_known_state')),
    sa.CheckConstraint('decided_by_id IS NULL OR decided_by_id <> proposed_by_id', name=op.f('ck_decision_four_eyes')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_decision_application_id_application')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_decision_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_decision_proposed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_application_id'), ['application_id'], unique=False)
        batch_op.create_index('uq_decision_one_current', ['application_id'], unique=True, sqlite_where=sa.text("state IN ('proposed', 'confirmed')"), postgresql_where=sa.text("state IN ('proposed', 'confirmed')"))

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=True),
    sa.Column('conflict_note', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recommendation', sa.String(length=20), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("recommendation IS NULL OR recommendation IN ('fund', 'fund_in_part', 'do_not_fund')", name=op.f('ck_review_known_recommendation')),
    sa.CheckConstraint('conflict IS NULL OR declared_at IS NOT NULL', name=op.f('ck_review_declared_has_moment')),
    sa.CheckConstraint('submitted_at IS NULL OR (conflict IS NOT NULL AND NOT conflict AND recommendation IS NOT NULL)', name=op.f('ck_review_submitted_is_complete')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_review_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['user_account.id'], name=op.f('fk_review_assigned_by_id_user_account')),
    sa.ForeignKeyConstraint(['reviewer_id'], ['user_account.id'], name=op.f('fk_review_reviewer_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('application_id', 'reviewer_id', name='uq_review_application_reviewer')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_reviewer_id'), ['reviewer_id'], unique=False)
        batch_op.create_index('ix_review_reviewer_submitted', ['reviewer_id', 'submitted_at'], unique=False)

    op.create_table('review_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.CheckConstraint('score IS NULL OR (score >= 1 AND score <= 5)', name=op.f('ck_review_score_score_range')),
    sa.ForeignKeyConstraint(['criterion_id'], ['rubric_criterion.id'], name=op.f('fk_review_score_criterion_id_rubric_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_review_score_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_score')),
    sa.UniqueConstraint('review_id', 'criterion_id', name='uq_review_score_criterion')
    )
    with op.batch_alter_table('review_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_score_criterion_id'), ['criterion_id'], unique=False)

    with op.batch_alter_table('rubric_criterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint('uq_rubric_criterion_round_kind', ['round_id', 'kind'])
        batch_op.create_check_constraint(
            'known_kind', "kind IS NULL OR kind IN ('from_within', 'preventive', 'safety')"
        )


    # Rounds made before this revision have the default rubric: mark its knock-out criteria.
    for kind, name_en in (
        ('from_within', 'Change from within'),
        ('preventive', 'Preventive approach'),
        ('safety', 'Safety and do-no-harm'),
    ):
        op.execute(
            sa.text('UPDATE rubric_criterion SET kind = :kind WHERE name_en = :name').bindparams(
                kind=kind, name=name_en
            )
        )

    # A confirmed decision is final: the database refuses to change or delete it.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRES_FINAL_DECISION)
    else:
        for statement in SQLITE_FINAL_DECISION:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER decision_is_final ON decision')
        op.execute('DROP FUNCTION decision_is_final()')
    else:
        op.execute('DROP TRIGGER decision_final_update')
        op.execute('DROP TRIGGER decision_final_delete')
    with op.batch_alter_table('rubric_criterion', schema=None) as batch_op:
        batch_op.drop_constraint('uq_rubric_criterion_round_kind', type_='unique')
        batch_op.drop_column('kind')

    with op.batch_alter_table('review_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_score_criterion_id'))

    op.drop_table('review_score')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('ix_review_reviewer_submitted')
        batch_op.drop_index(batch_op.f('ix_review_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_review_application_id'))

    op.drop_table('review')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index('uq_decision_one_current', sqlite_where=sa.text("state IN ('proposed', 'confirmed')"), postgresql_where=sa.text("state IN ('proposed', 'confirmed')"))
        batch_op.drop_index(batch_op.f('ix_decision_application_id'))

    op.drop_table('decision')
    with op.batch_alter_table('reviewer_pool', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reviewer_pool_user_id'))

    op.drop_table('reviewer_pool')
