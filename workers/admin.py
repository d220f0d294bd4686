"""The Django admin is for developers only; staff work through the application's own screens."""

from django.contrib import admin

from .models import FollowUp, InterimWork, Suspension, Trajectory, Worker


class TrajectoryInline(admin.TabularInline):
    model = Trajectory
    extra = 0
    fields = ("status", "start_date", "end_date", "max_end_date", "ended_on", "outflow_reason")
    readonly_fields = fields
    can_delete = False


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "organiser", "municipality", "ex_pwa")
    list_filter = ("organiser", "ex_pwa", "referral")
    search_fields = ("last_name", "first_name")
    exclude = ("national_number", "agreement_pdf")  # agreements are downloaded through the scoped view only
    readonly_fields = ("organiser", "municipality", "user")
    inlines = [TrajectoryInline]


@admin.register(Trajectory)
class TrajectoryAdmin(admin.ModelAdmin):
    list_display = ("worker", "status", "start_date", "end_date", "ended_on", "outflow_reason")
    list_filter = ("status", "outflow_reason", "organiser")
    readonly_fields = [f.name for f in Trajectory._meta.fields]


admin.site.register([Suspension, FollowUp, InterimWork])
