"""ponaccept.sim — see DESIGN.md §3."""
