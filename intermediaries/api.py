"""The tablet's sync endpoint: one queued filing in, a tracking number or a reason out.

Every refusal answers with a ``code`` and a translated ``reason`` the tablet
shows beside the filing it keeps; a repeated idempotency key returns the
appeal filed the first time.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from appeals.forms import KEY_PATTERN, active_category, region_for_code
from appeals.models import Appeal, Category, Notify
from appeals.services.filing import MAX_DESCRIPTION
from commons.accounts.models import Role, User
from commons.regions.models import Region
from commons.registry.identity import normalise_id_number
from commons.registry.models import Resident
from intermediaries import services
from intermediaries.models import ConsentMethod
from intermediaries.services import AssistedFiling, Code, ConsentRecord, Refused
from intermediaries.signatures import BadSignature, decode_data_url
from intermediaries.tokens import resident_id_from

STATUS_FOR = {
    Code.TOO_MANY_LOOKUPS: status.HTTP_429_TOO_MANY_REQUESTS,
    Code.UNKNOWN_RESIDENT: status.HTTP_422_UNPROCESSABLE_ENTITY,
    Code.NO_CONSENT: status.HTTP_422_UNPROCESSABLE_ENTITY,
    Code.BAD_CONSENT: status.HTTP_422_UNPROCESSABLE_ENTITY,
    Code.INVALID: status.HTTP_400_BAD_REQUEST,
}
# base64 makes the signature's largest accepted PNG about a third longer.
MAX_SIGNATURE_TEXT = 360_000


class IsVolunteer(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        return bool(user.is_authenticated and user.role == Role.INTERMEDIARY)


class ConsentSerializer(serializers.Serializer):
    key = serializers.RegexField(KEY_PATTERN)
    files_on_behalf = serializers.BooleanField()
    shares_record = serializers.BooleanField()
    method = serializers.ChoiceField(choices=ConsentMethod.choices)
    signature = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_SIGNATURE_TEXT,
        help_text=gettext_lazy("The canvas as a data:image/png;base64 URL."),
    )
    attestation = serializers.CharField(
        required=False, allow_blank=True, max_length=1000
    )
    consented_at = serializers.DateTimeField()

    def validate_signature(self, value: str) -> bytes:
        try:
            return decode_data_url(value)
        except BadSignature as problem:
            raise serializers.ValidationError(str(problem)) from None

    def record(self, data: dict[str, Any]) -> ConsentRecord:
        return ConsentRecord(
            key=data["key"],
            files_on_behalf=data["files_on_behalf"],
            shares_record=data["shares_record"],
            method=data["method"],
            consented_at=data["consented_at"],
            signature_png=data.get("signature", b""),
            attestation=data.get("attestation", ""),
        )


class QueuedFilingSerializer(serializers.Serializer):
    idempotency_key = serializers.RegexField(KEY_PATTERN)
    resident = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=gettext_lazy("The resident's link from a look-up."),
    )
    id_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=18,
        help_text=gettext_lazy("Instead of the link, when filed offline."),
    )
    category = serializers.CharField(max_length=40)
    description = serializers.CharField(max_length=MAX_DESCRIPTION, allow_blank=True)
    location = serializers.CharField(required=False, allow_blank=True, max_length=15)
    notify_by = serializers.ChoiceField(choices=Notify.choices, default=Notify.SMS)
    consent = ConsentSerializer(required=False, allow_null=True)

    def validate_category(self, code: str) -> Category:
        return active_category(code)

    def validate_location(self, code: str) -> Region | None:
        return region_for_code(code) if code.strip() else None

    def validate_id_number(self, raw: str) -> str:
        return normalise_id_number(raw) if raw.strip() else ""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("resident") and not attrs.get("id_number"):
            raise serializers.ValidationError(
                gettext_lazy("Say who the appeal is for: find the resident first.")
            )
        return attrs


class ReceiptSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    slip_url = serializers.CharField()


class RefusalSerializer(serializers.Serializer):
    code = serializers.CharField()
    reason = serializers.CharField()


def receipt(appeal: Appeal) -> dict[str, str]:
    return {
        "tracking_number": appeal.tracking_number,
        "status": appeal.status,
        "status_label": str(appeal.get_status_display()),
        "slip_url": reverse("intermediaries:slip", args=[appeal.tracking_number]),
    }


def refusal(code: str, reason: str, **extra: Any) -> Response:
    answer = STATUS_FOR.get(code, status.HTTP_403_FORBIDDEN)
    return Response({"code": code, "reason": reason, **extra}, status=answer)


def first_message(errors: Any) -> str:
    """The first human message in DRF's nested error structure."""
    if isinstance(errors, dict):
        for value in errors.values():
            return first_message(value)
    if isinstance(errors, list) and errors:
        return first_message(errors[0])
    return str(errors)


def resident_for(user: User, data: dict[str, Any]) -> Resident:
    if data.get("resident"):
        resident_id = resident_id_from(user, data["resident"])
        resident = (
            Resident.objects.filter(pk=resident_id).first() if resident_id else None
        )
        if resident is None:
            raise Refused(
                Code.UNKNOWN_RESIDENT,
                _(
                    "The link to this resident has expired. Find them again, "
                    "then send again."
                ),
            )
        return resident
    return services.resident_by_id_number(user, data["id_number"])


class QueuedFilingView(APIView):
    permission_classes = [IsVolunteer]

    @extend_schema(
        summary="Send one filing queued on a volunteer's tablet",
        request=QueuedFilingSerializer,
        responses={
            201: ReceiptSerializer,
            200: OpenApiResponse(
                ReceiptSerializer, description="Sent before: the first appeal."
            ),
            400: RefusalSerializer,
            403: RefusalSerializer,
            422: RefusalSerializer,
            429: RefusalSerializer,
        },
    )
    def post(self, request: Request) -> Response:
        key = request.data.get("idempotency_key")
        earlier = (
            services.earlier_filing(request.user, key) if isinstance(key, str) else None
        )
        if earlier is not None:
            return Response(receipt(earlier), status=status.HTTP_200_OK)

        incoming = QueuedFilingSerializer(data=request.data)
        if not incoming.is_valid():
            return refusal(
                Code.INVALID, first_message(incoming.errors), errors=incoming.errors
            )
        data = incoming.validated_data
        consent = data.get("consent")
        try:
            appeal, created = services.file_on_behalf(
                request.user,
                AssistedFiling(
                    resident=resident_for(request.user, data),
                    consent=ConsentSerializer().record(consent) if consent else None,
                    category=data["category"],
                    description=data["description"],
                    idempotency_key=data["idempotency_key"],
                    location=data.get("location"),
                    notify_by=data["notify_by"],
                ),
            )
        except Refused as problem:
            return refusal(problem.code, str(problem))
        except ValidationError as error:
            return refusal(Code.INVALID, " ".join(error.messages))

        # Routing may already have run at commit; answer with what is stored.
        appeal.refresh_from_db()
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(receipt(appeal), status=answer)
