"""applicant portal: organisation details, applications, budget lines, attachments, info requests, history

Revision ID: 20407cc4d435
Revises: b1b343bc7b99
Create Date: 2026-11-22 07:58:38.635820

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '20407cc4d435'
down_revision = 'b1b343bc7b99'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reference_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_reference_counter'))
    )
    op.create_table('application',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.text('CURRENT_TIMESTAMP')),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('communities', sa.JSON(), nullable=False),
    sa.Column('community_other', sa.String(length=200), nullable=False),
    sa.Column('focus', sa.String(length=20), nullable=True),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('approach', sa.Text(), nullable=False),
    sa.Column('preventive', sa.Text(), nullable=False),
    sa.Column('from_within', sa.Text(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=True),
    sa.Column('sessions', sa.Integer(), nullable=True),
    sa.Column('safety', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('amount_requested', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('other_funding_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('other_funding', sa.Text(), nullable=False),
    sa.Column('declared_truthful', sa.Boolean(), nullable=False),
    sa.Column('declared_privacy', sa.Boolean(), nullable=False),
    sa.Column('pending_input', sa.JSON(), nullable=False),
    sa.Column('organisation_snapshot', sa.JSON(), nullable=True),
    sa.CheckConstraint("focus IS NULL OR focus IN ('women_girls', 'lgbtiq', 'both')", name=op.f('ck_application_known_focus')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'info_requested', 'not_admissible', 'in_review', 'reviewed', 'decision_proposed', 'approved', 'rejected', 'withdrawn')", name=op.f('ck_application_known_status')),
    sa.CheckConstraint("status IN ('draft', 'withdrawn') OR (reference IS NOT NULL AND submitted_at IS NOT NULL)", name=op.f('ck_application_submitted_has_reference')),
    sa.CheckConstraint('amount_requested IS NULL OR amount_requested > 0', name=op.f('ck_application_amount_positive')),
    sa.CheckConstraint('other_funding_amount IS NULL OR other_funding_amount >= 0', name=op.f('ck_application_other_funding_not_negative')),
    sa.CheckConstraint('participants IS NULL OR participants >= 0', name=op.f('ck_application_participants')),
    sa.CheckConstraint('sessions IS NULL OR sessions >= 0', name=op.f('ck_application_sessions')),
    sa.CheckConstraint('start_date IS NULL OR end_date IS NULL OR end_date > start_date', name=op.f('ck_application_ends_after_start')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_application_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_application_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['round_id'], ['funding_round.id'], name=op.f('fk_application_round_id_funding_round')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application')),
    sa.UniqueConstraint('reference', name=op.f('uq_application_reference'))
    )
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_status'), ['status'], unique=False)

    op.create_table('application_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_application_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_event_application_id_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_event'))
    )
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_event_application_id'), ['application_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('size > 0', name=op.f('ck_attachment_not_empty')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_attachment_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_attachment_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachment_stored_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_application_id'), ['application_id'], unique=False)

    op.create_table('budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_budget_line_amount_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_budget_line_application_id_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line')),
    sa.UniqueConstraint('application_id', 'position', name='uq_budget_line_position')
    )
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_line_application_id'), ['application_id'], unique=False)

    op.create_table('info_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('steps', sa.JSON(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_info_request_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_info_request_requested_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_info_request'))
    )
    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_info_request_application_id'), ['application_id'], unique=False)

    op.create_table('rescued_input',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_rescued_input_application_id_application'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rescued_input')),
    sa.UniqueConstraint('token', name=op.f('uq_rescued_input_token'))
    )
    with op.batch_alter_table('rescued_input', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rescued_input_application_id'), ['application_id'], unique=False)

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legal_form', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('kvk_number', sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column('host_organisation', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('street', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('postcode', sa.String(length=7), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('city', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('iban', sa.String(length=34), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('account_holder', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_name', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=30), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('discreet_contact', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False, server_default=sa.text('CURRENT_TIMESTAMP')))
        # Autogenerate does not see check constraints on an existing table.
        batch_op.create_check_constraint(
            op.f('ck_organisation_known_legal_form'),
            "legal_form IS NULL OR legal_form IN ('stichting', 'vereniging', 'informal')",
        )
        batch_op.create_check_constraint(
            op.f('ck_organisation_kvk_eight_digits'), 'kvk_number IS NULL OR length(kvk_number) = 8'
        )



def downgrade():
    with op.batch_alter_table('rescued_input', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rescued_input_application_id'))
    op.drop_table('rescued_input')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_organisation_kvk_eight_digits'), type_='check')
        batch_op.drop_constraint(op.f('ck_organisation_known_legal_form'), type_='check')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('discreet_contact')
        batch_op.drop_column('contact_phone')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_name')
        batch_op.drop_column('account_holder')
        batch_op.drop_column('iban')
        batch_op.drop_column('city')
        batch_op.drop_column('postcode')
        batch_op.drop_column('street')
        batch_op.drop_column('host_organisation')
        batch_op.drop_column('kvk_number')
        batch_op.drop_column('legal_form')

    with op.batch_alter_table('info_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_info_request_application_id'))

    op.drop_table('info_request')
    with op.batch_alter_table('budget_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_line_application_id'))

    op.drop_table('budget_line')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_application_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('application_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_event_application_id'))

    op.drop_table('application_event')
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_status'))
        batch_op.drop_index(batch_op.f('ix_application_round_id'))
        batch_op.drop_index(batch_op.f('ix_application_organisation_id'))

    op.drop_table('application')
    op.drop_table('reference_counter')
