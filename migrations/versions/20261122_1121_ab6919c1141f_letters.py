"""letters

Revision ID: ab6919c1141f
Revises: 13d055d0129a
Create Date: 2026-11-22 11:21:54.751277

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ab6919c1141f'
down_revision = '13d055d0129a'
branch_labels = None
depends_on = None


POSTGRES_FROZEN_LETTER = """
CREATE FUNCTION letter_is_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'letter % is issued and frozen', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER letter_is_frozen BEFORE UPDATE OR DELETE ON letter
    FOR EACH ROW EXECUTE FUNCTION letter_is_frozen();
"""

SQLITE_FROZEN_LETTER = [
    """
    CREATE TRIGGER letter_frozen_update BEFORE UPDATE ON letter
    BEGIN SELECT RAISE(ABORT, 'letter is issued and frozen'); END
    """,
    """
    CREATE TRIGGER letter_frozen_delete BEFORE DELETE ON letter
    BEGIN SELECT RAISE(ABORT, 'letter is issued and frozen'); END
    """,
]


def upgrade():
    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('correction_note', sa.Text(), nullable=False),
    sa.CheckConstraint("kind IN ('award', 'rejection', 'not_admissible')", name=op.f('ck_letter_known_kind')),
    sa.CheckConstraint('replaces_id IS NULL OR replaces_id <> id', name=op.f('ck_letter_replaces_another')),
    sa.CheckConstraint('size > 0 AND length(sha256) = 64', name=op.f('ck_letter_has_content')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_letter_application_id_application')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_letter_decision_id_decision')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user_account.id'], name=op.f('fk_letter_issued_by_id_user_account')),
    sa.ForeignKeyConstraint(['replaces_id'], ['letter.id'], name=op.f('fk_letter_replaces_id_letter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    sa.UniqueConstraint('replaces_id', name=op.f('uq_letter_replaces_id'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_application_id'), ['application_id'], unique=False)
        batch_op.create_index('uq_letter_one_original', ['application_id'], unique=True, sqlite_where=sa.text('replaces_id IS NULL'), postgresql_where=sa.text('replaces_id IS NULL'))

    op.create_table('letter_download',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_download_letter_id_letter')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_letter_download_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_download'))
    )
    with op.batch_alter_table('letter_download', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_download_letter_id'), ['letter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_download_user_id'), ['user_id'], unique=False)


    # An issued letter is frozen: the database refuses to change or delete it.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(POSTGRES_FROZEN_LETTER)
    else:
        for statement in SQLITE_FROZEN_LETTER:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER letter_is_frozen ON letter')
        op.execute('DROP FUNCTION letter_is_frozen()')
    else:
        op.execute('DROP TRIGGER letter_frozen_update')
        op.execute('DROP TRIGGER letter_frozen_delete')
    with op.batch_alter_table('letter_download', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_download_user_id'))
        batch_op.drop_index(batch_op.f('ix_letter_download_letter_id'))

    op.drop_table('letter_download')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_index('uq_letter_one_original', sqlite_where=sa.text('replaces_id IS NULL'), postgresql_where=sa.text('replaces_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_letter_application_id'))

    op.drop_table('letter')
