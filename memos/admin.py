from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from simple_history.admin import SimpleHistoryAdmin

from common.admin_input import StaffTextAdminMixin
from memos import wording
from memos.build import build_memo
from memos.forms import ExportForm, IssueForm, MemoWordingForm
from memos.models import IssuedMemo, MemoWording
from memos.render import FORMATS, file_name, render, style_hashes
from memos.services import issue_memo

EXPORT_PERMISSION = "memos.export_memo"
ISSUE_PERMISSION = "memos.add_issuedmemo"


@admin.register(MemoWording)
class MemoWordingAdmin(StaffTextAdminMixin, SimpleHistoryAdmin):
    """The texts around the memo's figures. The set of texts is fixed (a data migration makes
    them); staff edit their wording, never add or remove one."""

    form = MemoWordingForm
    list_display = ["__str__", "text"]
    fields = ["key", "text", "placeholders"]
    readonly_fields = ["key", "placeholders"]
    search_fields = ["text"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("placeholders"))
    def placeholders(self, obj: MemoWording) -> str:
        allowed = wording.BY_KEY[obj.key].placeholders if obj.key in wording.BY_KEY else ()
        rows = format_html_join(
            "", "<li><code>{}</code>: {}</li>", wording.describe(allowed)
        ) or format_html("<li>{}</li>", gettext("none"))
        return format_html(
            "<ul>{}</ul><p>{}</p>",
            rows,
            gettext(
                "A number can carry its noun in singular and plural, # standing for the "
                "number: {total:# kapacitet|# kapaciteter} gives “1 kapacitet” or "
                "“3 kapaciteter”; a third form first is used for zero: "
                "{remaining:ingen puljekapaciteter|# puljekapacitet|# puljekapaciteter}. "
                "A blank line starts a new paragraph."
            ),
        )


def _staff_only(view):
    """Anonymous people go to the admin's login; logged-in people without the right get 403
    (the admin's own wrapper would send a logged-in non-staff user back to the login form)."""

    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(csrf_protect(wrapped))


@admin.register(IssuedMemo)
class IssuedMemoAdmin(admin.ModelAdmin):
    """Memos as sent to the committee: listed and downloadable, never changed or deleted.
    New ones are made with "Issue" on the export page, which is also here."""

    list_display = ["as_of", "issued_at", "issued_by", "downloads"]
    list_select_related = ["issued_by"]
    date_hierarchy = "as_of"
    fields = ["as_of", "issued_at", "issued_by", "pdf_sha256", "downloads"]
    readonly_fields = fields
    change_list_template = "memos/admin/issuedmemo_change_list.html"
    actions = None

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).listing()

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Issued memos are generated, never typed in: see export_view.
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description=_("download"))
    def downloads(self, obj: IssuedMemo) -> str:
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}">JSON</a>',
            reverse("admin:memos_issuedmemo_document", args=[obj.pk, "pdf"]),
            reverse("admin:memos_issuedmemo_document", args=[obj.pk, "json"]),
        )

    def get_urls(self):
        return [
            path("export/", _staff_only(self.export_view), name="memos_issuedmemo_export"),
            path(
                "<int:pk>/download/<str:kind>/",
                _staff_only(self.document_view),
                name="memos_issuedmemo_document",
            ),
            *super().get_urls(),
        ]

    def export_view(self, request: HttpRequest) -> HttpResponse:
        """Pick a date and a format and download the memo (GET), or issue it (POST)."""
        if not request.user.has_perm(EXPORT_PERMISSION):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["GET", "POST"])
        # One date for both: the same form downloads (any format) or issues (PDF and JSON).
        export_form = ExportForm.blank()
        if request.method == "POST":
            export_form = ExportForm(request.POST)
            if "issue" in request.POST:
                if not request.user.has_perm(ISSUE_PERMISSION):
                    raise PermissionDenied
                issue_form = IssueForm(request.POST)
                if issue_form.is_valid():
                    try:
                        issued = issue_memo(as_of=issue_form.cleaned_data["as_of"], by=request.user)
                    except ValidationError as error:
                        export_form.is_valid()
                        export_form.add_error("as_of", error)
                    else:
                        self.message_user(
                            request,
                            gettext("Issued: %(memo)s. It is kept exactly as generated.")
                            % {"memo": issued},
                            messages.SUCCESS,
                        )
                        return redirect("admin:memos_issuedmemo_change", issued.pk)
                else:
                    export_form.is_valid()
            elif export_form.is_valid():
                return self._download(
                    export_form.cleaned_data["as_of"], export_form.cleaned_data["format"]
                )
        elif "format" in request.GET:
            # A link may still name the date and format (?as_of=…&format=…).
            export_form = ExportForm(request.GET)
            if export_form.is_valid():
                return self._download(
                    export_form.cleaned_data["as_of"],
                    export_form.cleaned_data["format"],
                    pipeline=export_form.cleaned_data["pipeline"],
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Status memo"),
            "export_form": export_form,
            "can_issue": request.user.has_perm(ISSUE_PERMISSION),
        }
        return TemplateResponse(request, "memos/admin/export.html", context)

    def _download(self, as_of, format_name: str, *, pipeline: bool = False) -> HttpResponse:
        memo = build_memo(as_of, pipeline=pipeline)
        response = HttpResponse(
            render(memo, format_name), content_type=FORMATS[format_name].content_type
        )
        # The print view opens in the browser; every other format is saved as a file.
        disposition = "inline" if format_name == "html" else "attachment"
        response["Content-Disposition"] = (
            f'{disposition}; filename="{file_name(memo, format_name)}"'
        )
        if format_name == "html":
            # Read by django-csp's middleware: allow this page's own stylesheet, nothing more.
            response._csp_update = {"style-src": style_hashes(response.content.decode())}
        return response

    def document_view(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        """An issued memo's PDF or JSON, byte for byte as it was issued."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if kind not in ("pdf", "json"):
            raise Http404
        issued = get_object_or_404(IssuedMemo.objects.all(), pk=pk)
        if kind == "pdf":
            response = HttpResponse(bytes(issued.pdf), content_type="application/pdf")
        else:
            response = HttpResponse(issued.json.encode("utf-8"), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="{issued.file_name(kind)}"'
        return response
