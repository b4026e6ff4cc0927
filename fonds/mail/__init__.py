from flask import Blueprint

bp = Blueprint("mail", __name__, cli_group="mail")
