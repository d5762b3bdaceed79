/* Shows and hides questions that depend on answers on the same page, as the resident
   answers. Without JavaScript every such question is shown; either way the server
   decides the conditions again when the page is sent (forms/conditions.py), so this
   file only makes the page shorter. It mirrors the operators of the definition
   format: equals, not_equals, one_of, greater, less, empty, not_empty, all, any. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-conditions]");
  if (!form) { return; }

  function halfWidth(text) {
    return text.replace(/[\uff01-\uff5e]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/[\u30fc\u2212\u2010-\u2015]/g, "-").trim();
  }

  // The answers of a question as the server would see them: nothing for a question
  // this script has hidden, every part of a compound question (name.family…), and the
  // files already held by a file question.
  function valuesOf(name) {
    var values = [];
    var exact = false;
    Array.prototype.forEach.call(form.elements, function (element) {
      if (element.name === name) { exact = true; }
    });
    Array.prototype.forEach.call(form.elements, function (element) {
      var mine = exact ? element.name === name : element.name.indexOf(name + ".") === 0;
      if (!mine || element.disabled || element.type === "file" || element.type === "hidden") { return; }
      if (element.closest("[data-show-if][hidden]")) { return; }
      if ((element.type === "radio" || element.type === "checkbox") && !element.checked) { return; }
      if (element.value.trim() !== "") { values.push(element.value); }
    });
    form.querySelectorAll("[data-held-files]").forEach(function (list) {
      if (list.getAttribute("data-held-files") === name) {
        list.querySelectorAll("li").forEach(function () { values.push("file"); });
      }
    });
    return values;
  }

  function number(value) {
    var text = halfWidth(String(value)).replace(/,/g, "");
    return /^-?\d+(\.\d+)?$/.test(text) ? parseFloat(text) : null;
  }

  function same(answer, value) {
    if (typeof value === "boolean") { return answer === (value ? "yes" : "no"); }
    if (typeof value === "number") { return number(answer) === value; }
    return answer === value;
  }

  function holds(condition) {
    if (condition.all) { return condition.all.every(holds); }
    if (condition.any) { return condition.any.some(holds); }
    var answers = valuesOf(condition.field);
    var value = condition.value;
    switch (condition.op) {
      case "empty": return answers.length === 0;
      case "not_empty": return answers.length > 0;
      case "greater":
      case "less":
        // (Definitions never compare a choice with a number: forms/definition.py.)
        var found = answers.length === 1 ? number(answers[0]) : null;
        if (found === null) { return false; }
        return condition.op === "greater" ? found > value : found < value;
      case "equals": return answers.some(function (a) { return same(a, value); });
      case "not_equals": return !answers.some(function (a) { return same(a, value); });
      case "one_of": return answers.some(function (a) {
        return value.some(function (v) { return same(a, v); });
      });
    }
    return true;
  }

  var dependent = form.querySelectorAll("[data-show-if]");
  function update() {
    // In page order, so that a question hidden above counts as unanswered below.
    Array.prototype.forEach.call(dependent, function (block) {
      block.hidden = !holds(JSON.parse(block.getAttribute("data-show-if")));
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
