"""The survey pages, by domain. Thin: every lookup starts from `for_user()` (another body's object is a
404), every write goes through `surveys.actions`, and a user who may see but not change (a viewer, or the
regulator on a body's answers) gets a 403 on the write URLs.
"""
