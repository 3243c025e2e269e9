"""Every write of the survey workflow, each in one transaction with its audit rows, by domain.

`actor` is the signed-in user, or None for a command run on the server (imports, reminders, the
demo). Permission is checked here as well as in the views, so no surface can skip it.
"""
