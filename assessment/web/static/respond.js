/* crmm respondent pages: save every answer the moment it is given (no framework, no inline
   script). Without JavaScript the page still works: "Next" and "Back" post the whole page. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";

  // the copy button beside a respondent's own link (shown only where the clipboard works)
  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });

  var form = document.getElementById("answers");
  if (!form || !window.fetch || !window.FormData) return;
  var answerUrl = form.getAttribute("data-answer");
  var evidenceUrl = form.getAttribute("data-evidence");
  var progress = document.getElementById("progress");
  var progressText = document.getElementById("progress-text");

  // kind: "pending" (saving), "ok" (saved) or "error"
  function status(fieldset, text, kind) {
    var el = fieldset.querySelector(".status");
    if (!el) return;
    el.textContent = "";
    var span = document.createElement("span");
    span.className = kind;
    span.textContent = text;
    el.appendChild(span);
    fieldset.classList.toggle("invalid", kind === "error");
  }

  function showProgress(data) {
    if (progress && typeof data.answered === "number") {
      progress.value = data.answered;
      progress.max = data.total;
    }
    if (progressText && progressText.hasAttribute("data-template")) {
      progressText.textContent = progressText.getAttribute("data-template")
        .replace("{answered}", data.answered).replace("{total}", data.total);
    }
  }

  function post(url, body, fieldset) {
    status(fieldset, form.getAttribute("data-saving"), "pending");
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return { error: response.statusText }; });
    }).then(function (data) {
      if (data.error) {
        status(fieldset, form.getAttribute("data-failed") + " " + data.error, "error");
        return null;
      }
      status(fieldset, form.getAttribute("data-saved"), "ok");
      showProgress(data);
      return data;
    }, function () {
      status(fieldset, form.getAttribute("data-failed"), "error");
      return null;
    });
  }

  // one question's fields as the /answer endpoint takes them
  function answerOf(fieldset) {
    var qid = fieldset.getAttribute("data-question");
    var body = new FormData();
    body.append("question", qid);
    var na = fieldset.querySelector('input[name="na-' + qid + '"]');
    if (na && na.checked) {
      body.append("value", "na");
    } else {
      Array.prototype.forEach.call(
        fieldset.querySelectorAll('[name="v-' + qid + '"]'), function (el) {
          if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
          body.append("value", el.value);
        });
    }
    var comment = fieldset.querySelector('[name="c-' + qid + '"]');
    var evidence = fieldset.querySelector('[name="e-' + qid + '"]');
    body.append("comment", comment ? comment.value : "");
    body.append("evidence", evidence ? evidence.value : "");
    return body;
  }

  function upload(fieldset, input) {
    var qid = fieldset.getAttribute("data-question");
    var file = input.files && input.files[0];
    if (!file) return;
    var body = new FormData();
    body.append("question", qid);
    body.append("file", file, file.name);
    post(evidenceUrl, body, fieldset).then(function (data) {
      input.value = "";  // kept on the server: "Next" must not send it again
      if (!data) return;
      var list = document.getElementById("u-" + qid);
      if (list) {
        var item = document.createElement("li");
        item.textContent = data.name;
        list.appendChild(item);
      }
    });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    var fieldset = target.closest ? target.closest("fieldset.question") : null;
    if (!fieldset) return;
    if (target.type === "file") {
      upload(fieldset, target);
      return;
    }
    post(answerUrl, answerOf(fieldset), fieldset);
  });
})();
