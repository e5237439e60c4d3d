"""Business functions of the acceptance workflow, taking a Session; routes stay thin.

- ``workflow_settings``: knobs of the workflow (minimum speeds, photo limits, default CVLAN pool, loops).
- ``dispatch``: activation work orders (ONU name, ONT-ID, SVLAN, CVLAN, password, lease) → activate job.
- ``revocation``: revoke per activation / per project, the lease sweeper.
- ``recovery``: start-up recovery of work interrupted by a crash.
- ``line_tests`` / ``service_tests`` / ``photos``: field test results.
- ``reviews``: submit / approve / reject, with the acceptance guards.
- ``views``: the seed's activation list view (joins done once per page).
"""
