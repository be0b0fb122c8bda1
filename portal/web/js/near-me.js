// "Near me": the browser's geolocation fills the place form's coordinates and sends it; the
// typed place (a municipality or "lat, lon") is the same form without it, so the page works
// by keyboard and without geolocation.
export function nearMe(button) {
  const form = button.form;
  const status = document.getElementById(button.dataset.status || "");
  if (!form || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    if (status) status.textContent = button.dataset.labelLocating;
    navigator.geolocation.getCurrentPosition(
      (where) => {
        coordinate(form, "lat", where.coords.latitude);
        coordinate(form, "lon", where.coords.longitude);
        form.elements.place.value = "";
        form.submit();
      },
      () => {
        if (status) status.textContent = button.dataset.labelFailed;
      },
      { timeout: 10000, maximumAge: 60000 },
    );
  });
}

function coordinate(form, name, value) {
  const input = form.elements[name] || form.appendChild(Object.assign(document.createElement("input"), { type: "hidden", name }));
  input.value = value.toFixed(6);
}
