from django.urls import path

from marketplace.views import api_tokens

urlpatterns = [
    path("account/tokens/", api_tokens.api_tokens, name="api_tokens"),
    path("account/tokens/<int:pk>/revoke/", api_tokens.api_token_revoke_view, name="api_token_revoke"),
]
