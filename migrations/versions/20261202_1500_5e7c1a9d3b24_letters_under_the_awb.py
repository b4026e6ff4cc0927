"""Letters that hold up under the Awb: a round's e-mail address for objections and its term for
reconsideration; the fund's points per criterion and the reason for a lower award with a
decision; an applicant's consent to receive decisions through the portal.

Revision ID: 5e7c1a9d3b24
Revises: d4a8b2c6e7f1
Create Date: 2026-12-02 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e7c1a9d3b24'
down_revision = 'd4a8b2c6e7f1'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('remedy_email', sa.String(length=254), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reconsideration_weeks', sa.Integer(), nullable=False, server_default='6'))
        batch_op.create_check_constraint(
            op.f('ck_funding_round_reconsideration_weeks_range'),
            'reconsideration_weeks >= 1 AND reconsideration_weeks <= 52',
        )
    # An objection under the Awb now goes by post unless the round names an e-mail address for
    # it (remedy_email), so the default addressee of an Awb round names the postal address only.
    op.execute(
        "UPDATE funding_round SET remedy_addressee = "
        "'Bestuur Fonds op Naam, op het postadres bovenaan deze brief' "
        "WHERE legal_mode = 'awb' AND remedy_addressee = "
        "'Bestuur Fonds op Naam, op het postadres of e-mailadres bovenaan deze brief'"
    )
    # The decision table carries triggers that keep a confirmed decision final; plain ADD COLUMN
    # (no batch copy of the table on SQLite) leaves them in place.
    op.add_column('decision', sa.Column('criterion_points', sa.JSON(), nullable=False, server_default='{}'))
    op.add_column('decision', sa.Column('partial_reason', sa.Text(), nullable=False, server_default=''))
    # Applications sent before the question have no answer (NULL): in an Awb round their letters
    # also go by post.
    op.add_column('application', sa.Column('electronic_delivery_consent', sa.Boolean(), nullable=True))


def downgrade():
    # SQLite 3.35+ and PostgreSQL drop a column in place, so the decision's triggers stay.
    op.drop_column('application', 'electronic_delivery_consent')
    op.drop_column('decision', 'partial_reason')
    op.drop_column('decision', 'criterion_points')
    with op.batch_alter_table('funding_round', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_funding_round_reconsideration_weeks_range'), type_='check')
        batch_op.drop_column('reconsideration_weeks')
        batch_op.drop_column('remedy_email')
