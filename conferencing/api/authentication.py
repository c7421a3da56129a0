"""Token authentication that acts for the office the token was made for."""

from rest_framework.authentication import TokenAuthentication

from conferencing import api_tokens


class OfficeTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication (same header, same 401s); the authenticated user then
    acts for the token's office (conferencing.api_tokens.authenticate), or for none.
    Session-authenticated calls keep the session's office (ActingOfficeMiddleware
    set it on the same user object that SessionAuthentication hands on)."""

    def authenticate_credentials(self, key: str):  # type: ignore[no-untyped-def]
        user, token = super().authenticate_credentials(key)
        api_tokens.authenticate(user, token)
        return user, token
