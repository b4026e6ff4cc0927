"""Discreet e-mail is each person's own choice (user_account.discreet_mail), no longer one choice
per organisation that whoever filled in step 1 made for every member; an outgoing message
remembers whether it goes out discreetly (its sender name).

Revision ID: e5b7c9d1f3a2
Revises: 5e7c1a9d3b24
Create Date: 2026-12-02 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5b7c9d1f3a2'
down_revision = '5e7c1a9d3b24'
branch_labels = None
depends_on = None


user_account = sa.table(
    'user_account', sa.column('id', sa.Integer), sa.column('email', sa.String),
    sa.column('discreet_mail', sa.Boolean),
)
organisation = sa.table(
    'organisation', sa.column('id', sa.Integer), sa.column('contact_email', sa.String),
    sa.column('discreet_contact', sa.Boolean),
)
membership = sa.table(
    'membership', sa.column('user_id', sa.Integer), sa.column('organisation_id', sa.Integer),
)


def member_of(discreet: bool, *conditions):
    """Whether the person is a member of an organisation whose choice was `discreet` (and
    which meets the conditions)."""
    return sa.exists().where(
        membership.c.user_id == user_account.c.id,
        membership.c.organisation_id == organisation.c.id,
        organisation.c.discreet_contact.is_(sa.true() if discreet else sa.false()),
        *conditions,
    )


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discreet_mail', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discreet', sa.Boolean(), nullable=False, server_default=sa.true()))

    # Who chose ordinary mail is not known; the choice was made in step 1, usually by the
    # contact person, who fills in their own details there. So the contact person of an
    # organisation that chose ordinary mail keeps it, unless they are also a member of an
    # organisation that chose discreet mail. Everyone else, exposed by someone else's choice
    # until now, gets discreet mail and can choose otherwise on "My account".
    op.execute(
        user_account.update()
        .where(
            member_of(False, sa.func.lower(organisation.c.contact_email) == user_account.c.email),
            ~member_of(True),
        )
        .values(discreet_mail=False)
    )

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('discreet_contact')


def downgrade():
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discreet_contact', sa.Boolean(), nullable=False, server_default=sa.true()))
    # One choice for all members again: ordinary only where no member wants discreet mail.
    op.execute(
        organisation.update()
        .where(
            sa.exists().where(membership.c.organisation_id == organisation.c.id),
            ~sa.exists().where(
                membership.c.organisation_id == organisation.c.id,
                membership.c.user_id == user_account.c.id,
                user_account.c.discreet_mail.is_(sa.true()),
            ),
        )
        .values(discreet_contact=False)
    )
    with op.batch_alter_table('outgoing_mail', schema=None) as batch_op:
        batch_op.drop_column('discreet')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('discreet_mail')
