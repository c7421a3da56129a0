"""The records' API (records, recording and document uploads); config/urls.py puts it
in the `meetings-api` namespace beside the booking core's API."""

from django.urls import path

from meetings.records.api import document_uploads, recording_uploads, records

urlpatterns = [
    path(
        "meetings/<int:meeting_id>/records/",
        records.MeetingRecordsView.as_view(),
        name="meeting-records",
    ),
    path("record-versions/<int:pk>/", records.RecordVersionView.as_view(), name="record-version"),
    path(
        "record-versions/<int:pk>/download/",
        records.RecordDownloadView.as_view(),
        name="record-version-download",
    ),
    path(
        "record-versions/<int:pk>/submit/",
        records.SubmitView.as_view(),
        name="record-version-submit",
    ),
    path(
        "record-versions/<int:pk>/approve/",
        records.ApproveView.as_view(),
        name="record-version-approve",
    ),
    path(
        "record-versions/<int:pk>/return/",
        records.ReturnView.as_view(),
        name="record-version-return",
    ),
    path("records/<int:pk>/legal-hold/", records.LegalHoldView.as_view(), name="record-hold"),
    # Recording uploads: presigned multipart to S3 (parts through the app on local disk).
    path(
        "meetings/<int:meeting_id>/recording-uploads/",
        recording_uploads.CreateRecordingUploadView.as_view(),
        name="recording-uploads",
    ),
    path(
        "recording-uploads/<int:pk>/",
        recording_uploads.RecordingUploadView.as_view(),
        name="recording-upload",
    ),
    path(
        "recording-uploads/<int:pk>/sign/",
        recording_uploads.SignPartsView.as_view(),
        name="recording-upload-sign",
    ),
    path(
        "recording-uploads/<int:pk>/parts/<int:number>/",
        recording_uploads.UploadPartView.as_view(),
        name="recording-upload-part",
    ),
    path(
        "recording-uploads/<int:pk>/complete/",
        recording_uploads.CompleteUploadView.as_view(),
        name="recording-upload-complete",
    ),
    # Document uploads: the same sessions; one presigned PUT bounded in size and type to
    # S3, parts through the app on local disk (docs/records.md).
    path(
        "meetings/<int:meeting_id>/document-uploads/",
        document_uploads.CreateDocumentUploadView.as_view(),
        name="document-uploads",
    ),
    path(
        "document-uploads/<int:pk>/",
        document_uploads.DocumentUploadView.as_view(),
        name="document-upload",
    ),
    path(
        "document-uploads/<int:pk>/sign/",
        document_uploads.DocumentSignView.as_view(),
        name="document-upload-sign",
    ),
    path(
        "document-uploads/<int:pk>/parts/<int:number>/",
        document_uploads.DocumentPartView.as_view(),
        name="document-upload-part",
    ),
    path(
        "document-uploads/<int:pk>/complete/",
        document_uploads.DocumentCompleteView.as_view(),
        name="document-upload-complete",
    ),
]
