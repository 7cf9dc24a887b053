from entente.cli import run

run()
