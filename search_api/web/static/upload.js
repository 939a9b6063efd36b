// Upload with a progress bar; without JavaScript the form posts normally and the server redirects.
(function () {
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = document.getElementById("upload-progress");
  var status = document.getElementById("upload-status");
  var drop = form.querySelector(".drop");
  var input = document.getElementById("file");
  ["dragenter", "dragover"].forEach(function (ev) {
    drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (ev) {
    drop.addEventListener(ev, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) input.files = e.dataTransfer.files;
    showName();
  });
  input.addEventListener("change", showName);
  function showName() {
    if (input.files.length) status.textContent = "Đã chọn: " + input.files[0].name;
  }
  form.addEventListener("submit", function (e) {
    if (!input.files.length) return;
    e.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "Đang tải lên…";
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable) bar.value = Math.round(ev.loaded * 100 / ev.total);
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value");
      status.textContent = "Đã tải lên; đang đọc và trích số liệu…";
    });
    xhr.addEventListener("load", function () {
      if (xhr.status < 400 && xhr.responseURL.indexOf("/documents/") !== -1) {
        status.textContent = "Xong. Đang mở văn bản…";
        window.location.assign(xhr.responseURL);
      } else {
        document.open();
        document.write(xhr.responseText);
        document.close();
      }
    });
    xhr.addEventListener("error", function () {
      status.textContent = "Không gửi được tệp. Hãy thử lại.";
      bar.hidden = true;
    });
    xhr.send(new FormData(form));
  });
})();
