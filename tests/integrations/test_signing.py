"""integrations.signing against the Standard Webhooks specification's published example."""

from integrations import signing

SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = b'{"test": 2432232314}'


def test_signature_matches_the_specifications_example():
    assert signing.signature(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_changed_body_does_not_verify():
    headers = signing.headers(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)

    assert signing.verify(SPEC_SECRET, headers, SPEC_BODY) is True
    assert signing.verify(SPEC_SECRET, headers, b'{"test": 1}') is False


def test_a_new_secret_is_whsec_and_32_random_bytes():
    secret = signing.new_secret()

    assert secret.startswith("whsec_")
    assert len(signing.key_of(secret)) == 32
    assert secret != signing.new_secret()
