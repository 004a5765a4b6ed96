from django.contrib import admin

from avvik.traffic.models import Cluster, ResponseTime, TrafficPolicy


@admin.register(TrafficPolicy)
class TrafficPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ["partnership", "default_response_minutes", "cluster_window_hours", "category"]


@admin.register(ResponseTime)
class ResponseTimeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ["partnership", "message_type", "minutes"]
    list_filter = ["partnership"]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]  # not generic at run time
    list_display = ["partnership", "sender_her_id", "receiver_her_id", "message_type", "failure", "failures"]
    list_filter = ["partnership", "failure"]
    readonly_fields = ["deviation"]
