"""The Django admin is for developers only. Coaching notes, check-ins and other texts of the coaching room are not
registered: reading them anywhere but in the application's own screens would escape the read log."""

from django.contrib import admin

from .models import CoachingSettings, Competence, CompetenceFramework


class CompetenceInline(admin.TabularInline):
    model = Competence
    extra = 0
    fields = ("position", "key", "name", "description")
    readonly_fields = fields
    can_delete = False


@admin.register(CompetenceFramework)
class CompetenceFrameworkAdmin(admin.ModelAdmin):
    list_display = ("organiser", "version", "published_on")
    list_filter = ("organiser",)
    inlines = [CompetenceInline]


@admin.register(CoachingSettings)
class CoachingSettingsAdmin(admin.ModelAdmin):
    list_display = ("organiser", "no_contact_weeks", "measurement_interval_months", "ending_soon_days")
