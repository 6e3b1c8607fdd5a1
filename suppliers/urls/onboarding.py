"""Belt onboarding (namespace "onboarding", at /onboarding/): importing and inviting a belt's
factories (staff and the belt's managers), and the factory's claim from its signed link (public)."""

from django.urls import path

from suppliers.views import onboarding as views

app_name = "onboarding"
urlpatterns = [
    path("belts/<slug:slug>/imports/", views.import_list, name="import_list"),
    path("belts/<slug:slug>/imports/sample.csv", views.import_sample, name="import_sample"),
    path("belts/<slug:slug>/invitations/", views.invitation_list, name="invitation_list"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("claim/<str:token>/", views.claim, name="claim"),
]
