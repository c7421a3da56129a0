"""The pages of accounts: passwords (change, reset), the profile, the second factor. The
home page is meetings.home's: it shows sessions, which accounts never imports."""
