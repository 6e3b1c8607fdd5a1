from django.urls import path
from django.views.generic import TemplateView

P = TemplateView.as_view(template_name="placeholder.html")

urlpatterns = [
    path("signup/", P, name="signup"),
    path("login/", P, name="login"),
    path("logout/", P, name="logout"),
    path("account/", P, name="account_settings"),
    path("company/", P, name="company_detail"),
    path("company/switch/", P, name="company_switch"),
]
