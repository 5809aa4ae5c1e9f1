"""Appeals through the REST API: the same filing service as the web form."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from appeals.forms import (
    COORDINATE_STEP,
    KEY_PATTERN,
    active_category,
    check_coordinates,
    region_for_code,
)
from appeals.models import Appeal, Category, Channel, Notify
from appeals.resident_views import timeline_rows
from appeals.services import filing
from appeals.services.filing import MAX_DESCRIPTION, Filing
from commons.accounts.models import User
from commons.regions.models import Region
from commons.registry.api import IsResident
from commons.registry.models import Resident


@extend_schema_field({"type": "string", "format": "binary"})
class PhotoField(serializers.FileField):
    """A file part of the multipart request; the schema calls it binary."""


class FilingSerializer(serializers.Serializer):
    category = serializers.CharField(
        max_length=40, help_text=gettext_lazy("The category's code, e.g. “roads”.")
    )
    # Blank text passes here so that the filing service gives its own message.
    description = serializers.CharField(max_length=MAX_DESCRIPTION, allow_blank=True)
    location = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy(
            "Official code of a village, community or grid; "
            "empty for the resident's home community."
        ),
    )
    latitude = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        min_value=Decimal(-90),
        max_value=Decimal(90),
        required=False,
        allow_null=True,
    )
    longitude = serializers.DecimalField(
        max_digits=None,
        decimal_places=None,
        min_value=Decimal(-180),
        max_value=Decimal(180),
        required=False,
        allow_null=True,
    )
    notify_by = serializers.ChoiceField(choices=Notify.choices, default=Notify.SMS)
    idempotency_key = serializers.RegexField(
        KEY_PATTERN,
        help_text=gettext_lazy(
            "8 to 64 letters, digits, - or _, new for each appeal; "
            "sending it again returns the first appeal."
        ),
    )
    photos = serializers.ListField(
        child=PhotoField(),
        required=False,
        help_text=gettext_lazy("Up to five JPEG, PNG or WebP photos."),
    )

    def validate_category(self, code: str) -> Category:
        return active_category(code)

    def validate_location(self, code: str) -> Region | None:
        return region_for_code(code) if code.strip() else None

    def validate_latitude(self, value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(COORDINATE_STEP)

    def validate_longitude(self, value: Decimal | None) -> Decimal | None:
        return None if value is None else value.quantize(COORDINATE_STEP)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        check_coordinates(attrs.get("latitude"), attrs.get("longitude"))
        return attrs

    def filing(self, *, resident: Resident, user: User) -> Filing:
        data = self.validated_data
        return Filing(
            resident=resident,
            filed_by=user,
            category=data["category"],
            description=data["description"],
            location=data.get("location") or resident.home_community,
            idempotency_key=data["idempotency_key"],
            channel=Channel.API,
            notify_by=data["notify_by"],
            latitude=data.get("latitude"),
            longitude=data.get("longitude"),
            photos=data.get("photos", []),
        )


class TimelineRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    created_at = serializers.DateTimeField()
    department = serializers.CharField()
    note = serializers.CharField()


class AppealSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    location = serializers.SlugRelatedField(slug_field="code", read_only=True)
    location_name = serializers.CharField(source="location.name", read_only=True)
    department_name = serializers.CharField(
        source="department.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Appeal
        fields = [
            "tracking_number",
            "status",
            "status_label",
            "category",
            "category_name",
            "description",
            "location",
            "location_name",
            "latitude",
            "longitude",
            "notify_by",
            "department_name",
            "reply",
            "created_at",
            "resolved_at",
        ]
        read_only_fields = fields


class AppealDetailSerializer(AppealSerializer):
    timeline = serializers.SerializerMethodField()

    class Meta(AppealSerializer.Meta):
        fields = [*AppealSerializer.Meta.fields, "timeline"]
        read_only_fields = fields

    @extend_schema_field(TimelineRowSerializer(many=True))
    def get_timeline(self, appeal: Appeal) -> list[dict[str, Any]]:
        events = list(appeal.events.select_related("department"))
        rows = timeline_rows(events, with_notes=True)
        return TimelineRowSerializer(rows, many=True).data


class AppealPagination(PageNumberPagination):
    page_size = 20


def own_appeals(user: User) -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(resident__account=user)
        .select_related("category", "location", "department")
        .order_by("-created_at", "-pk")
    )


REFUSED = OpenApiResponse(description="Only residents may use these endpoints.")


class AppealListView(generics.ListAPIView):
    permission_classes = [IsResident]
    serializer_class = AppealSerializer
    pagination_class = AppealPagination
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[Appeal]:
        return own_appeals(self.request.user)

    @extend_schema(
        summary="The signed-in resident's appeals, newest first",
        responses={200: AppealSerializer(many=True), 403: REFUSED},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="File an appeal",
        description=(
            "Multipart form. Repeating an idempotency key returns the appeal "
            "first filed with it (200) and files nothing new."
        ),
        request={"multipart/form-data": FilingSerializer},
        responses={
            201: AppealSerializer,
            200: AppealSerializer,
            400: OpenApiResponse(description="Translated validation messages."),
            403: REFUSED,
        },
    )
    def post(self, request: Request) -> Response:
        record = Resident.objects.filter(account=request.user).first()
        if record is None:
            raise exceptions.PermissionDenied(
                _(
                    "You are not in the registry yet. Your community office or a "
                    "community volunteer must register you first."
                )
            )

        incoming = FilingSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            appeal, created = filing.file_appeal(
                incoming.filing(resident=record, user=request.user)
            )
        except ValidationError as error:
            raise serializers.ValidationError(
                {"non_field_errors": error.messages}
            ) from None

        # Routing may already have run at commit; answer with what is stored.
        appeal.refresh_from_db()
        answer = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(AppealSerializer(appeal).data, status=answer)


class AppealDetailView(generics.RetrieveAPIView):
    permission_classes = [IsResident]
    serializer_class = AppealDetailSerializer
    lookup_field = "tracking_number"

    def get_queryset(self) -> QuerySet[Appeal]:
        return own_appeals(self.request.user)

    @extend_schema(
        summary="One of the signed-in resident's appeals, with its timeline",
        responses={
            200: AppealDetailSerializer,
            403: REFUSED,
            404: OpenApiResponse(description="No such appeal of this resident."),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
