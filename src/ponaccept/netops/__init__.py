"""ponaccept.netops — see DESIGN.md §3."""
