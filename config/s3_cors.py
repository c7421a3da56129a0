"""The bucket's CORS rules: browsers upload recordings straight to the bucket (presigned
multipart PUTs) from the app's pages and must read each part's ETag; recordings play
from presigned GETs. One definition for bin/s3-create-bucket and the test fixtures."""

CORS_METHODS = ["PUT", "GET", "HEAD"]
CORS_MAX_AGE_S = 3600


def cors_rules(origins: list[str]) -> dict:
    """`CORSConfiguration` for `put_bucket_cors`, allowing these origins."""
    return {
        "CORSRules": [
            {
                "AllowedOrigins": origins,
                "AllowedMethods": CORS_METHODS,
                "AllowedHeaders": ["*"],
                "ExposeHeaders": ["ETag"],
                "MaxAgeSeconds": CORS_MAX_AGE_S,
            }
        ]
    }
