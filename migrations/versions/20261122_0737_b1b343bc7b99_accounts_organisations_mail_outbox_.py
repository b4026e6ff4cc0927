"""accounts, organisations, mail outbox, rounds and rubric

Revision ID: b1b343bc7b99
Revises: 
Create Date: 2026-11-22 07:37:06.781877

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1b343bc7b99'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funding_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('budget_ceiling', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('min_grant', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('max_grant', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('max_duration_months', sa.Integer(), nullable=False),
    sa.Column('reviewers_per_application', sa.Integer(), nullable=False),
    sa.Column('regulation', sa.Text(), nullable=False),
    sa.Column('legal_mode', sa.String(length=10), nullable=False),
    sa.Column('signatory_name', sa.String(length=200), nullable=False),
    sa.Column('signatory_title', sa.String(length=200), nullable=False),
    sa.Column('legal_remedy_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("legal_mode IN ('awb', 'private')", name=op.f('ck_funding_round_known_legal_mode')),
    sa.CheckConstraint('budget_ceiling > 0', name=op.f('ck_funding_round_budget_positive')),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_funding_round_closes_after_opening')),
    sa.CheckConstraint('max_duration_months > 0', name=op.f('ck_funding_round_duration_positive')),
    sa.CheckConstraint('max_grant <= budget_ceiling', name=op.f('ck_funding_round_max_grant_within_budget')),
    sa.CheckConstraint('min_grant >= 0 AND min_grant <= max_grant', name=op.f('ck_funding_round_grant_range')),
    sa.CheckConstraint('reviewers_per_application >= 1', name=op.f('ck_funding_round_at_least_one_reviewer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_round'))
    )
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )
    op.create_table('outgoing_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name=op.f('ck_outgoing_mail_known_status')),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_outgoing_mail_attempts_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_mail'))
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_mail_status'), ['status'], unique=False)

    op.create_table('user_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_user_account_email_lowercase')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_account')),
    sa.UniqueConstraint('email', name=op.f('uq_user_account_email'))
    )
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.Enum('applicant', 'reviewer', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(role = 'applicant' AND organisation_id IS NOT NULL) OR (role <> 'applicant' AND organisation_id IS NULL)", name=op.f('ck_invitation_organisation_for_applicants_only')),
    sa.CheckConstraint("role IN ('applicant', 'reviewer', 'admin')", name=op.f('ck_invitation_known_role')),
    sa.CheckConstraint('(accepted_at IS NULL) = (accepted_by_id IS NULL)', name=op.f('ck_invitation_accepted_by_whom')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['user_account.id'], name=op.f('fk_invitation_accepted_by_id_user_account')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user_account.id'], name=op.f('fk_invitation_invited_by_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_invitation_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_email'), ['email'], unique=False)

    op.create_table('membership',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_membership_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_membership_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'organisation_id', name=op.f('pk_membership'))
    )
    op.create_table('rubric_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_nl', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('descriptor_1_nl', sa.Text(), nullable=False),
    sa.Column('descriptor_3_nl', sa.Text(), nullable=False),
    sa.Column('descriptor_5_nl', sa.Text(), nullable=False),
    sa.Column('descriptor_1_en', sa.Text(), nullable=False),
    sa.Column('descriptor_3_en', sa.Text(), nullable=False),
    sa.Column('descriptor_5_en', sa.Text(), nullable=False),
    sa.CheckConstraint('position >= 1', name=op.f('ck_rubric_criterion_position_positive')),
    sa.CheckConstraint('weight > 0 AND weight <= 100', name=op.f('ck_rubric_criterion_weight_percent')),
    sa.ForeignKeyConstraint(['round_id'], ['funding_round.id'], name=op.f('fk_rubric_criterion_round_id_funding_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rubric_criterion')),
    sa.UniqueConstraint('round_id', 'position', name='uq_rubric_criterion_round_position')
    )
    op.create_table('user_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('applicant', 'reviewer', 'admin', name='role', native_enum=False, length=20), nullable=False),
    sa.CheckConstraint("role IN ('applicant', 'reviewer', 'admin')", name=op.f('ck_user_role_known_role')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_user_role_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_role'))
    )


def downgrade():
    op.drop_table('user_role')
    op.drop_table('rubric_criterion')
    op.drop_table('membership')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_email'))

    op.drop_table('invitation')
    op.drop_table('user_account')
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outgoing_mail_status'))

    op.drop_table('outgoing_mail')
    op.drop_table('organisation')
    op.drop_table('funding_round')
