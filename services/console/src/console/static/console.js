// Saathi console: live countdowns, and alerts that are seen and heard while a page is open.
(function () {
  "use strict";
  var audio = null;

  function unlockSound() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
    } catch (e) { audio = null; }
  }

  function tone() {
    if (!audio) unlockSound();
    if (!audio) return false;
    var oscillator = audio.createOscillator(), gain = audio.createGain();
    oscillator.frequency.value = 880;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + 0.4);
    return true;
  }

  function announce(alert) {
    var body = document.body, announcer = document.getElementById("announcer");
    var label = body.dataset.newAlert || "New alert: {title}";
    if (announcer) announcer.textContent = label.replace("{title}", alert.title || "");
    body.dataset.alertsSeen = String(Number(body.dataset.alertsSeen || 0) + 1);
    if (tone()) body.dataset.alertsHeard = String(Number(body.dataset.alertsHeard || 0) + 1);
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification(alert.title || "Saathi", { tag: alert.notification_id, requireInteraction: alert.kind === "crisis" });
    }
  }

  function countdowns() {
    var now = Date.now();
    document.querySelectorAll("time[data-deadline]").forEach(function (el) {
      var left = Math.round((Date.parse(el.dataset.deadline) - now) / 1000);
      if (left <= 0) { el.textContent = el.dataset.overdue || "now"; return; }
      var minutes = Math.floor(left / 60), seconds = left % 60;
      var text = minutes + ":" + String(seconds).padStart(2, "0");
      if (document.body.dataset.lang === "bn") {
        text = text.replace(/[0-9]/g, function (d) { return String.fromCharCode(0x09E6 + Number(d)); });
      }
      el.textContent = text;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setInterval(countdowns, 1000);
    countdowns();
    var button = document.getElementById("enable-alerts");
    if (button) {
      button.addEventListener("click", function () {
        unlockSound();
        var status = document.getElementById("alerts-permission");
        if (!("Notification" in window)) return;
        Notification.requestPermission().then(function (answer) {
          if (status) status.textContent = answer === "granted" ? button.dataset.on : button.dataset.blocked;
        });
      });
    }
  });

  document.addEventListener("htmx:afterSwap", countdowns);
  document.addEventListener("htmx:sseMessage", onMessage);
  var handled = new WeakSet();
  function onMessage(event) {
    var message = event.detail;
    if (!message || message.type !== "alert" || handled.has(message)) return;
    handled.add(message);
    try { announce(JSON.parse(message.data)); } catch (e) { /* a malformed frame is ignored */ }
  }
})();
