"""Settings for the demo and local development."""

from .base import *  # noqa: F403

DEBUG = True
