from django.contrib.auth import views as auth_views
from django.urls import path

from accounts.forms import SignInForm
from accounts.views import passwords, profile, second_factor

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        passwords.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("profile/", profile.profile, name="profile"),
    path(
        "profile/sign-out-everywhere/",
        profile.sign_out_everywhere,
        name="sign-out-everywhere",
    ),
    path("second-factor/", second_factor.verify, name="second-factor-verify"),
    path("second-factor/enrol/", second_factor.enrol, name="second-factor-enrol"),
    path(
        "second-factor/recovery-codes/",
        second_factor.recovery_codes,
        name="second-factor-recovery-codes",
    ),
    path("second-factor/remove/", second_factor.remove, name="second-factor-remove"),
]
