from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path('', include('oversight.core.urls')),
    path('accounts/', include('oversight.accounts.urls')),
    path('organisations/', include('oversight.organisations.urls')),
    path('vendors/', include('oversight.vendors.urls')),
    path('register/', include('oversight.register.urls')),
    path('admin/', admin.site.urls),
]
