"""An application's decision is published with its letter; the applicant's consent to publish
an award.

Revision ID: c7d2e5f1a903
Revises: 4b0965e2b2b2
Create Date: 2026-12-02 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7d2e5f1a903'
down_revision = '4b0965e2b2b2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decision_published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('publication_consent', sa.Boolean(), nullable=False, server_default=sa.false()))
    # A decision already has its letter: it was published when the original letter was issued.
    op.execute(
        "UPDATE application SET decision_published_at = ("
        "SELECT min(letter.issued_at) FROM letter WHERE letter.application_id = application.id"
        ") WHERE EXISTS (SELECT 1 FROM letter WHERE letter.application_id = application.id)"
    )


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('publication_consent')
        batch_op.drop_column('decision_published_at')
