import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'oversight.settings.production')
application = get_wsgi_application()

# A web process draws charts on its pages (policy, national exposure, findings): matplotlib is imported as the
# process starts rather than by the first request that draws one (half a second). Commands do not pay for it.
import matplotlib.figure  # noqa: E402, F401
