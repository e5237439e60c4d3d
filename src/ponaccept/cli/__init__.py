"""Typer command-line interface for engineers and operators."""
