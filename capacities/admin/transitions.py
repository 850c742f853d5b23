"""The admin pages that record transitions: one capacity, several at once, or a new one, as
methods of one mixin of the capacity admin.

They only collect the data and call `capacities.services`; a refused step shows the
service's message on the form and changes nothing.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capacities import services
from capacities.admin.actions import SPECS, TransitionSpec, single_form
from capacities.forms import RegisterForm
from capacities.models import Action, Capacity

TRANSITION_TEMPLATE = "admin/capacities/capacity/transition_form.html"
BULK_TEMPLATE = "admin/capacities/capacity/bulk_transition.html"


def change_url(capacity: Capacity) -> str:
    return reverse("admin:capacities_capacity_change", args=[capacity.pk])


def transition_url(capacity: Capacity, action: str) -> str:
    return reverse("admin:capacities_capacity_transition", args=[capacity.pk, action])


def transition_buttons(capacity: Capacity) -> list[dict]:
    """One button per transition allowed from the capacity's current status."""
    return [
        {"action": action, "label": SPECS[action].label, "url": transition_url(capacity, action)}
        for action in services.allowed_actions(capacity)
    ]


def _messages(error: services.TransitionError) -> str:
    return " ".join(error.messages)


def _seen_version(request: HttpRequest, capacity: Capacity) -> int:
    """The version shown when the action's page was first rendered, kept across retries."""
    seen = request.POST.get(f"version_{capacity.pk}", "")
    return int(seen) if seen.isdigit() else capacity.version


class TransitionPagesMixin:
    """For the capacity's ModelAdmin: a page per transition, bulk actions, and "add" as the
    registration of a capacity in use."""

    def page_context(self, request: HttpRequest, **extra) -> dict:
        opts = self.model._meta
        return {
            **self.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "has_view_permission": self.has_view_permission(request),
            **extra,
        }

    def transition_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        spec = SPECS.get(action)
        capacity = self.get_object(request, unquote(object_id))
        if spec is None or capacity is None:
            raise Http404(_("No such capacity or transition."))
        if not self.has_change_permission(request, capacity):
            raise PermissionDenied
        form_class = single_form(spec)
        conflict = False
        if request.method == "POST":
            form = form_class(request.POST, capacity=capacity)
            if "_check" in request.POST:
                # "Show the verdict" (allocation): validate and show the pool rule, save nothing.
                form.is_valid()
            elif form.is_valid():
                try:
                    spec.service(
                        capacity,
                        by=request.user,
                        expected_version=form.cleaned_data["version"],
                        **form.service_kwargs(),
                    )
                except services.ConflictError as error:
                    # The form keeps what the user typed (and the old version, so that a blind
                    # resubmit is refused again); the page offers the current state.
                    conflict = True
                    form.add_error(None, _messages(error))
                    capacity.refresh_from_db()
                except services.TransitionError as error:
                    form.add_error(None, _messages(error))
                else:
                    self.message_user(
                        request,
                        _("Recorded for %(capacity)s: %(step)s.")
                        % {"capacity": capacity, "step": Action(spec.action).label},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(change_url(capacity))
        else:
            if action not in services.allowed_actions(capacity):
                self.message_user(
                    request,
                    _("%(capacity)s cannot be changed with “%(action)s” now: it is %(status)s.")
                    % {
                        "capacity": capacity,
                        "action": spec.label,
                        "status": capacity.get_status_display(),
                    },
                    messages.ERROR,
                )
                return HttpResponseRedirect(change_url(capacity))
            form = form_class(initial={"version": capacity.version}, capacity=capacity)
        context = self.page_context(
            request,
            title=f"{spec.label}: {capacity}",
            original=capacity,
            spec=spec,
            form=form,
            media=self.media + form.media,
            conflict=conflict,
            verdict=getattr(form, "verdict", None),
            change_url=change_url(capacity),
            reload_url=transition_url(capacity, action),
        )
        return TemplateResponse(request, TRANSITION_TEMPLATE, context)

    def add_view(self, request: HttpRequest, form_url="", extra_context=None) -> HttpResponse:
        """Adding a capacity records one already in use (services.register_capacity); pool
        capacities come only from creating the pool."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = RegisterForm(request.POST)
            if form.is_valid():
                try:
                    capacity = services.register_capacity(by=request.user, **form.service_kwargs())
                except services.TransitionError as error:
                    form.add_error(None, _messages(error))
                else:
                    self.log_addition(request, capacity, [{"added": {}}])
                    self.message_user(
                        request, _("%(capacity)s registered.") % {"capacity": capacity}
                    )
                    return HttpResponseRedirect(change_url(capacity))
        else:
            form = RegisterForm()
        context = self.page_context(
            request,
            title=_("Register a capacity in use"),
            original=None,
            spec=None,
            form=form,
            media=self.media + form.media,
            conflict=False,
        )
        return TemplateResponse(request, TRANSITION_TEMPLATE, context)

    def bulk_transition(
        self, request: HttpRequest, queryset, spec: TransitionSpec
    ) -> HttpResponse | None:
        """An admin action: the same step for every selected capacity, each with its own history
        row, all or nothing."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        capacities = list(queryset.select_related("area").order_by("pk"))
        if "apply" in request.POST:
            form = spec.form(request.POST)
            if form.is_valid():
                refused = _apply_all(request, capacities, spec, form)
                if refused is None:
                    self.message_user(
                        request,
                        ngettext(
                            "Recorded for %(count)d capacity: %(step)s.",
                            "Recorded for %(count)d capacities: %(step)s.",
                            len(capacities),
                        )
                        % {"step": Action(spec.action).label, "count": len(capacities)},
                        messages.SUCCESS,
                    )
                    return None
                form.add_error(None, refused)
                # The failed attempt left changed copies in memory; show the stored state.
                capacities = list(queryset.select_related("area").order_by("pk"))
        else:
            form = spec.form()
        context = self.page_context(
            request,
            title=spec.bulk,
            spec=spec,
            form=form,
            media=self.media + form.media,
            rows=[(c, _seen_version(request, c)) for c in capacities],
            action_name=request.POST.get("action", ""),
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
        )
        return TemplateResponse(request, BULK_TEMPLATE, context)


def _apply_all(request: HttpRequest, capacities: list[Capacity], spec, form) -> str | None:
    """Run the step for each capacity in one transaction; the refusal's message, or None."""
    current = None
    try:
        # One outer transaction: the first refusal rolls back the steps already recorded.
        with transaction.atomic():
            for current in capacities:
                spec.service(
                    current,
                    by=request.user,
                    expected_version=_seen_version(request, current),
                    **form.service_kwargs(),
                )
    except services.TransitionError as error:
        text = _messages(error)
        if str(current) not in text:
            text = f"{current}: {text}"
        return _("Nothing was changed. %(refusal)s") % {"refusal": text}
    return None
