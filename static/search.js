// dossier's offline search: runs in the browser on the index that
// `dossier build` writes into search/ (see src/output/search.rs for its
// format). The index is loaded as <script> files rather than with fetch,
// so search works from file:// as well as from any web server and under
// any URL prefix. Only the shards a query needs are loaded: the manifest,
// the term shards that hold the words typed (or words starting with them),
// and the document shards of the results shown.
(function () {
  "use strict";

  // A query never loads more than this many bytes of term shards; a word
  // whose prefix matches would need more is matched whole instead.
  var POSTINGS_BUDGET = 1000000;
  // Words of a query that are used; the rest are ignored.
  var MAX_TERMS = 8;
  // Results shown at once (each may need a document shard).
  var PAGE_SIZE = 10;

  var section = document.getElementById("search");
  if (!section) return;
  var root = section.getAttribute("data-root") || "./";
  var portable = section.getAttribute("data-portable") === "true";
  // The page's words, in the site's language (search.html writes them).
  function phrase(name, values) {
    var text = section.getAttribute("data-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }
  // The form of a count the language uses (one, few, many, other).
  var plurals = window.Intl && Intl.PluralRules ? new Intl.PluralRules((document.documentElement && document.documentElement.lang) || "en") : null;
  function counted(name, n) {
    var form = plurals ? plurals.select(n) : (n === 1 ? "one" : "other");
    var text = section.getAttribute("data-" + name + "-" + form) || section.getAttribute("data-" + name + "-other") || "";
    return text.split("{n}").join(String(n));
  }
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");

  // The same folding as `fold` and `words` in src/output/search.rs.
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").normalize("NFC").toLowerCase();
  }
  function words(text) {
    return fold(text).match(/[\p{Alphabetic}\p{N}]+/gu) || [];
  }

  // Loading index files: each one calls back into window.dossierSearch.
  var waiting = {};
  var loading = {};
  var version = "";
  function arrived(name, data) {
    if (waiting[name]) waiting[name](data);
  }
  window.dossierSearch = {
    index: function (data) { arrived("index", data); },
    terms: function (n, data) { arrived("t" + n, data); },
    docs: function (n, data) { arrived("d" + n, data); }
  };
  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        waiting[name] = resolve;
        var script = document.createElement("script");
        script.src = root + "search/" + name + ".js" + (version ? "?v=" + version : "");
        script.onerror = function () {
          delete loading[name];
          reject(new Error("could not load " + script.src));
        };
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  // The last shard whose first entry is <= key, in a manifest list.
  function shardOf(firsts, key) {
    var lo = 0, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid][0] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // Which term shards to load for one word, and whether its prefix is used.
  function plan(index, word, budget) {
    if (!index.terms.length) return { word: word, prefix: false, shards: [] };
    var first = shardOf(index.terms, word);
    var last = first;
    var size = index.terms[first][1];
    while (last + 1 < index.terms.length && index.terms[last + 1][0].startsWith(word)) {
      last += 1;
      size += index.terms[last][1];
    }
    if (size > budget) return { word: word, prefix: false, shards: [first] };
    var shards = [];
    for (var n = first; n <= last; n++) shards.push(n);
    return { word: word, prefix: true, shards: shards };
  }

  // Scores every document matching all words: a word in the title counts
  // most, a whole word more than a prefix; ties keep index order.
  function score(plans, shardData) {
    var total = null;
    plans.forEach(function (p) {
      var best = new Map();
      p.shards.forEach(function (n) {
        var terms = shardData["t" + n];
        Object.keys(terms).forEach(function (term) {
          var whole = term === p.word;
          if (!whole && !(p.prefix && term.startsWith(p.word))) return;
          var doc = 0;
          terms[term].forEach(function (v) {
            doc += Math.floor(v / 4);
            var s = (v % 4) * 4 + (whole ? 2 : 0);
            if (!(best.get(doc) >= s)) best.set(doc, s);
          });
        });
      });
      if (total === null) {
        total = best;
      } else {
        var both = new Map();
        total.forEach(function (s, doc) {
          if (best.has(doc)) both.set(doc, s + best.get(doc));
        });
        total = both;
      }
    });
    var ranked = Array.from(total || new Map());
    ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    return ranked.map(function (r) { return r[0]; });
  }

  function link(path) {
    return root + path + (portable && path.endsWith("/") ? "index.html" : "");
  }

  // Appends `text` to `parent`, each word starting with a query word marked.
  function highlight(parent, text, queryWords) {
    var re = /[\p{Alphabetic}\p{N}\p{M}]+/gu;
    var at = 0, m;
    while ((m = re.exec(text)) !== null) {
      var hit = words(m[0]).some(function (w) {
        return queryWords.some(function (q) { return w.startsWith(q); });
      });
      if (!hit) continue;
      parent.appendChild(document.createTextNode(text.slice(at, m.index)));
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      at = m.index + m[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  // About 200 characters of `text` around the first word that matches.
  function snippet(text, queryWords) {
    var re = /[\p{Alphabetic}\p{N}\p{M}]+/gu, m;
    while ((m = re.exec(text)) !== null) {
      var hit = words(m[0]).some(function (w) {
        return queryWords.some(function (q) { return w.startsWith(q); });
      });
      if (hit) {
        var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, m.index - 60)) + 1);
        if (m.index - start > 80) start = m.index;
        var end = Math.min(text.length, start + 200);
        var space = text.indexOf(" ", end);
        if (space !== -1 && space - end < 30) end = space;
        return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
      }
    }
    return null;
  }

  function showResult(doc, queryWords) {
    var kind = doc[0], title = doc[1], path = doc[2], date = doc[3], summary = doc[4], text = doc[5];
    var aliases = doc[6].join(", ");
    var item = document.createElement("li");
    var meta = document.createElement("p");
    meta.className = "result-meta";
    meta.textContent = date ? kind + " · " + date : kind;
    var a = document.createElement("a");
    a.className = "result-title";
    a.href = link(path);
    highlight(a, title, queryWords);
    var p = document.createElement("p");
    p.className = "result-snippet";
    highlight(p, snippet(text, queryWords) || snippet(summary, queryWords) || summary || text.slice(0, 200), queryWords);
    item.appendChild(meta);
    item.appendChild(a);
    if (snippet(aliases, queryWords)) {
      var also = document.createElement("p");
      also.className = "result-aliases";
      also.appendChild(document.createTextNode(phrase("also-known-as") + " "));
      highlight(also, aliases, queryWords);
      item.appendChild(also);
    }
    item.appendChild(p);
    list.appendChild(item);
  }

  var current = 0; // the number of the latest query; older answers are dropped
  var results = [];
  var shown = 0;
  var queryWords = [];

  function showMore(index, query) {
    var page = results.slice(shown, shown + PAGE_SIZE);
    var firsts = index.docs;
    var needed = Array.from(new Set(page.map(function (d) { return shardOf(firsts, d); })));
    return Promise.all(needed.map(function (n) { return load("d" + n); })).then(function (shards) {
      if (query !== current) return;
      var byShard = {};
      needed.forEach(function (n, i) { byShard[n] = shards[i]; });
      page.forEach(function (d) {
        var n = shardOf(firsts, d);
        showResult(byShard[n][d - firsts[n][0]], queryWords);
      });
      shown += page.length;
      more.hidden = shown >= results.length;
    });
  }

  function run(index, text) {
    var query = ++current;
    var all = words(text);
    queryWords = all.filter(function (w, i) { return all.indexOf(w) === i; }).slice(0, MAX_TERMS);
    list.textContent = "";
    more.hidden = true;
    if (!queryWords.length) {
      status.textContent = "";
      return Promise.resolve();
    }
    var plans = queryWords.map(function (w) {
      return plan(index, w, POSTINGS_BUDGET / queryWords.length);
    });
    var names = [];
    plans.forEach(function (p) {
      p.shards.forEach(function (n) { if (names.indexOf("t" + n) < 0) names.push("t" + n); });
    });
    status.textContent = phrase("searching");
    return Promise.all(names.map(load)).then(function (loaded) {
      if (query !== current) return;
      var shardData = {};
      names.forEach(function (name, i) { shardData[name] = loaded[i]; });
      results = score(plans, shardData);
      shown = 0;
      status.textContent = results.length === 0
        ? phrase("no-results", { query: text.trim() })
        : phrase("results-for", { results: counted("results", results.length), query: text.trim() });
      return showMore(index, query);
    });
  }

  function remember(text) {
    try {
      var url = new URL(window.location.href);
      if (text) url.searchParams.set("q", text); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.href);
    } catch (e) {
      // Some browsers refuse to change file:// addresses; search still works.
    }
  }

  load("index").then(function (index) {
    version = index.version;
    var timer = null;
    function search() {
      remember(input.value);
      run(index, input.value).catch(function (e) { status.textContent = phrase("search-failed", { error: e.message }); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      search();
    });
    more.addEventListener("click", function () {
      showMore(index, current).catch(function (e) { status.textContent = phrase("search-failed", { error: e.message }); });
    });
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) {
      input.value = q;
      search();
    }
    input.focus();
  }, function () {
    status.textContent = phrase("index-missing");
  });
})();
