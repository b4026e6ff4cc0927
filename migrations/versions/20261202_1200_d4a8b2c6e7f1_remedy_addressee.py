"""A round's remedy addressee: who receives an objection (awb) or a request for reconsideration
(private), and where; the letters name only this addressee.

Revision ID: d4a8b2c6e7f1
Revises: c7d2e5f1a903
Create Date: 2026-12-02 12:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a8b2c6e7f1'
down_revision = 'c7d2e5f1a903'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remedy_addressee', sa.Text(), nullable=False, server_default=''))
    # The letters sent objections to the fund's board; the letterhead now carries the fund's
    # postal and e-mail address, so existing rounds point there until an administrator sets
    # their own.
    op.execute(
        "UPDATE funding_round SET remedy_addressee = "
        "'Bestuur Fonds op Naam, op het postadres of e-mailadres bovenaan deze brief' "
        "WHERE remedy_addressee = ''"
    )


def downgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.drop_column('remedy_addressee')
