from flask import Blueprint

# Its commands (`flask workflow expire`) are meant for cron.
bp = Blueprint("applications", __name__, url_prefix="/applications", cli_group="workflow")
