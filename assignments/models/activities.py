"""The Vlaamse activiteitenlijst with the municipalities' restrictions and extensions.

Glossary: MainActivity = hoofdactiviteit, Activity = (sub)activiteit, ActivityRestriction = gemeentelijke beperking."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkwerken.core.models import Municipality, Organiser

from .clients import ClientCategory

# The seeded list (shared/data/activiteitenlijst.json) notes its sources in English; the page shows them in Dutch.
# A source a beheerder types is shown as typed.
SEEDED_SOURCES = {
    "examples published by wijk-werkorganisaties and press (not the official wording)":
        _("Examples published by wijk-werkorganisaties and the press (not the official wording)"),
    "VDAB partner extranet, 'Vlaamse activiteitenlijst wijk-werken' (page text captured up to the particulieren part)":
        _("VDAB partner extranet, 'Vlaamse activiteitenlijst wijk-werken' (private persons)"),
    "DVV Westhoek (wijk-werkorganisatie), list for lokale besturen, 2020-21":
        _("DVV Westhoek (wijk-werkorganisatie), list for local authorities, 2020-21"),
    "Gemeente Machelen, wijk-werken page (particulieren list)":
        _("Municipality of Machelen, wijk-werken page (list for private persons)"),
}


class MainActivity(models.Model):
    """A hoofdactiviteit of the Vlaamse activiteitenlijst (shared by every organiser)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    # slugify(name): the code `workers` uses for skills and interests by main activity.
    code = models.SlugField(_("code"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("main activity")
        verbose_name_plural = _("main activities")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ActivityStatus(models.TextChoices):
    OFFICIAL = "officieel", _("official")
    PRACTICE_EXAMPLE = "praktijkvoorbeeld", _("example from practice")


class ActivityQuerySet(models.QuerySet):
    def valid_on(self, on):
        return self.filter(Q(valid_from__lte=on), Q(valid_until__isnull=True) | Q(valid_until__gte=on))

    def flemish(self):
        return self.filter(municipality__isnull=True)


class Activity(models.Model):
    """A (sub)activity for one client category, valid from `valid_from` up to and including `valid_until`.

    `municipality` empty: on the organiser's copy of the Flemish list. Set: a local extension of that
    municipality. A change on the list ends the row and starts a new one, so history is never rewritten.
    """

    organiser = models.ForeignKey(Organiser, related_name="activities", on_delete=models.PROTECT)
    municipality = models.ForeignKey(
        Municipality, verbose_name=_("only in municipality"), related_name="local_activities",
        on_delete=models.PROTECT, null=True, blank=True,
    )
    category = models.CharField(_("client category"), max_length=20, choices=ClientCategory.choices)
    main_activity = models.ForeignKey(
        MainActivity, verbose_name=_("main activity"), related_name="activities", on_delete=models.PROTECT
    )
    name = models.CharField(_("activity"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=ActivityStatus.choices, default=ActivityStatus.OFFICIAL
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    ex_pwa_only = models.BooleanField(
        _("only for ex-PWA (transitional measure)"), default=False,
        help_text=_("Only ex-PWA clients may ask for it, and only ex-PWA workers may do it."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["category", "main_activity__name", "name", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="activity_period_order",
            ),
            models.UniqueConstraint(
                fields=["organiser", "category", "main_activity", "name", "valid_from"],
                condition=Q(municipality__isnull=True), name="activity_flemish_one_version_per_start",
            ),
            models.UniqueConstraint(
                fields=["municipality", "category", "main_activity", "name", "valid_from"],
                condition=Q(municipality__isnull=False), name="activity_local_one_version_per_start",
            ),
        ]
        indexes = [models.Index(fields=["organiser", "category", "valid_from"], name="activity_lookup_idx")]

    def __str__(self):
        return self.name

    @property
    def is_local(self) -> bool:
        return self.municipality_id is not None

    @property
    def source_display(self) -> str:
        return SEEDED_SOURCES.get(self.source, self.source)

    def is_valid_on(self, on) -> bool:
        return self.valid_from <= on and (self.valid_until is None or self.valid_until >= on)


class ActivityRestriction(models.Model):
    """A municipality takes an activity of the Flemish list off its territory from `valid_from`."""

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("municipality"), related_name="activity_restrictions", on_delete=models.PROTECT
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), related_name="restrictions", on_delete=models.PROTECT
    )
    valid_from = models.DateField(_("not allowed from"))
    valid_until = models.DateField(_("not allowed until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("municipal restriction")
        verbose_name_plural = _("municipal restrictions")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="restriction_period_order",
            ),
            models.UniqueConstraint(
                fields=["municipality", "activity", "valid_from"], name="restriction_one_per_start"
            ),
        ]

    def __str__(self):
        return f"{self.municipality}: {self.activity}"
