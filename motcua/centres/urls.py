from django.urls import path

from motcua.centres import views

app_name = "centres"

urlpatterns = [
    path("<str:code>/", views.take, name="take"),
    path("<str:code>/so/<int:ticket_id>/", views.ticket, name="ticket"),
    path("<str:code>/bang/", views.board, name="board"),
    path("<str:code>/bang.json", views.board_json, name="board_json"),
    path("<str:code>/quay/", views.counters, name="counters"),
    path("<str:code>/quay/<int:number>/", views.counter, name="counter"),
]
