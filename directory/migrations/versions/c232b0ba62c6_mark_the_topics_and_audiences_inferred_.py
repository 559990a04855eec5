"""mark the topics and audiences inferred from a listing's words

Every link already stored was given by a feed, an organiser or a moderator: not inferred.

Revision ID: c232b0ba62c6
Revises: 46774cfdf7b2
Create Date: 2026-12-01 17:30:42.619583

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c232b0ba62c6'
down_revision = '46774cfdf7b2'
branch_labels = None
depends_on = None

TABLES = ('group_topic', 'group_audience')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('inferred', sa.Boolean(), server_default=sa.false(), nullable=False)
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('inferred')
