"""application view log

Revision ID: 04b200eed84c
Revises: 20407cc4d435
Create Date: 2026-11-22 08:52:33.789555

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '04b200eed84c'
down_revision = '20407cc4d435'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('application_view',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('page', sa.String(length=50), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['application.id'], name=op.f('fk_application_view_application_id_application'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_application_view_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_view'))
    )
    with op.batch_alter_table('application_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_view_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_application_view_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('application_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_view_user_id'))
        batch_op.drop_index(batch_op.f('ix_application_view_application_id'))

    op.drop_table('application_view')
