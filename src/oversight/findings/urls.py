app_name = 'findings'
urlpatterns: list = []
