"""mark the topics and audiences inferred from a listing's words

Every link already stored was given by a feed, an organiser or a moderator: not inferred.
The audit trail gains the action of ``directory infer``.

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
ACTIONS_BEFORE = (
    'created', 'submitted', 'imported', 'updated', 'restored', 'approved', 'rejected', 'asked',
    'answered', 'edited', 'confirmed', 'paused', 'resumed', 'closed', 'archived', 'reported',
    'duplicate_resolved', 'change_requested', 'change_approved', 'change_rejected',
    'report_resolved', 'reminded', 'link_revoked', 'trust_changed', 'moderator_added',
    'moderator_removed',
)
ACTIONS = (*ACTIONS_BEFORE, 'inferred')


def _allowed(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace_check(table, column, values):
    name = op.f(f'ck_{table}_{column}_allowed')
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(name, type_='check')
        batch_op.create_check_constraint(name, _allowed(column, values))


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('inferred', sa.Boolean(), server_default=sa.false(), nullable=False)
            )
    _replace_check('audit_record', 'action', ACTIONS)


def downgrade():
    # The records of `directory infer` name an action the older schema does not know.
    op.execute(f"DELETE FROM audit_record WHERE NOT ({_allowed('action', ACTIONS_BEFORE)})")
    _replace_check('audit_record', 'action', ACTIONS_BEFORE)
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('inferred')
