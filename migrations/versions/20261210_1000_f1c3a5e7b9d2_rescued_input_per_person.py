"""Kept step input belongs to a person: rescued_input gets user_id (one row per person,
application and step) instead of a random token held in the session. Rows kept so far were
not bound to anyone and are dropped (they last a day anyway).

Revision ID: f1c3a5e7b9d2
Revises: e5b7c9d1f3a2
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1c3a5e7b9d2'
down_revision = 'e5b7c9d1f3a2'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(sa.text('DELETE FROM rescued_input'))
    with op.batch_alter_table('rescued_input', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_rescued_input_token'), type_='unique')
        batch_op.drop_column('token')
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f('fk_rescued_input_user_id_user_account'), 'user_account', ['user_id'], ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_index(batch_op.f('ix_rescued_input_user_id'), ['user_id'], unique=False)
        batch_op.create_unique_constraint(
            'uq_rescued_input_person_step', ['user_id', 'application_id', 'step']
        )


def downgrade():
    op.execute(sa.text('DELETE FROM rescued_input'))
    with op.batch_alter_table('rescued_input', schema=None) as batch_op:
        batch_op.drop_constraint('uq_rescued_input_person_step', type_='unique')
        batch_op.drop_index(batch_op.f('ix_rescued_input_user_id'))
        batch_op.drop_constraint(batch_op.f('fk_rescued_input_user_id_user_account'), type_='foreignkey')
        batch_op.drop_column('user_id')
        batch_op.add_column(sa.Column('token', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_rescued_input_token'), ['token'])
