"""Letter batches: "issue all letters" of a round, one item per decided application.

Revision ID: 4b0965e2b2b2
Revises: ab6919c1141f
Create Date: 2026-11-22 12:54:51.510899

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b0965e2b2b2'
down_revision = 'ab6919c1141f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letter_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('started_by_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('superseded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['funding_round.id'], name=op.f('fk_letter_batch_round_id_funding_round')),
    sa.ForeignKeyConstraint(['started_by_id'], ['user_account.id'], name=op.f('fk_letter_batch_started_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_batch'))
    )
    with op.batch_alter_table('letter_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_batch_round_id'), ['round_id'], unique=False)

    op.create_table('letter_batch_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'issued', 'failed', 'skipped')", name=op.f('ck_letter_batch_item_known_batch_state')),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_letter_batch_item_application_id_application')),
    sa.ForeignKeyConstraint(['batch_id'], ['letter_batch.id'], name=op.f('fk_letter_batch_item_batch_id_letter_batch')),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], name=op.f('fk_letter_batch_item_letter_id_letter')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_batch_item')),
    sa.UniqueConstraint('batch_id', 'application_id', name='uq_batch_item_application')
    )
    with op.batch_alter_table('letter_batch_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_batch_item_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letter_batch_item_batch_id'), ['batch_id'], unique=False)



def downgrade():
    with op.batch_alter_table('letter_batch_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_batch_item_batch_id'))
        batch_op.drop_index(batch_op.f('ix_letter_batch_item_application_id'))

    op.drop_table('letter_batch_item')
    with op.batch_alter_table('letter_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_batch_round_id'))

    op.drop_table('letter_batch')
