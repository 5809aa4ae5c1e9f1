"""The registry through the REST API: the same services as the web pages."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from commons.ledger.models import LedgerEntry
from commons.registry.access import AccessRefused
from commons.registry.forms import OFFICE_PURPOSES
from commons.registry.models import Purpose, RecordField, Resident
from commons.registry.presentation import display_rows, ledger_row
from commons.registry.services import find_by_id_number, read_record

LEDGER_LIMIT = 200


class IsResident(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user.is_authenticated and request.user.is_resident)


class WorksForDepartment(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return bool(request.user.is_authenticated and request.user.works_for_department)


class RecordRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class LedgerRowSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    who = serializers.CharField()
    action = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())
    purpose = serializers.CharField()


class LookupSerializer(serializers.Serializer):
    id_number = serializers.CharField(max_length=18)
    purpose = serializers.ChoiceField(choices=OFFICE_PURPOSES)
    fields = serializers.MultipleChoiceField(choices=RecordField.choices)


def as_rows(values: dict) -> list[dict[str, str]]:
    return [{"label": label, "value": value} for label, value in display_rows(values)]


class MyRecordView(APIView):
    permission_classes = [IsResident]

    @extend_schema(responses=RecordRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        record = Resident.objects.filter(account=request.user).first()
        if record is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        values = read_record(
            record, reader=request.user, purpose=Purpose.SELF, fields=RecordField.values
        )
        return Response(as_rows(values))


class MyLedgerView(APIView):
    permission_classes = [IsResident]

    @extend_schema(responses=LedgerRowSerializer(many=True))
    def get(self, request: Request) -> Response:
        entries = (
            LedgerEntry.objects.filter(resident__account=request.user)
            .select_related("department")
            .order_by("-position")[:LEDGER_LIMIT]
        )
        rows = [ledger_row(entry, request.user.pk) for entry in entries]
        return Response(LedgerRowSerializer(rows, many=True).data)


class LookupView(APIView):
    permission_classes = [WorksForDepartment]

    @extend_schema(request=LookupSerializer, responses=RecordRowSerializer(many=True))
    def post(self, request: Request) -> Response:
        query = LookupSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        try:
            resident = find_by_id_number(query.validated_data["id_number"])
        except ValidationError as error:
            return Response({"id_number": error.messages}, status=400)
        if resident is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        try:
            values = read_record(
                resident,
                reader=request.user,
                purpose=query.validated_data["purpose"],
                fields=sorted(query.validated_data["fields"]),
            )
        except AccessRefused as refusal:
            return Response({"detail": str(refusal)}, status=status.HTTP_403_FORBIDDEN)
        return Response(as_rows(values))
