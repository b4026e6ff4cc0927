from fonds import create_app

app = create_app()
