// The reply coach. [1] words: tokens folded to lowercase ASCII (so "Disculpe"/"disculpé"
// match), rough stems; [2] word lists, hand-written, English and Spanish; [3] shingles;
// [4] the signals; [5] score, flag and hints.
#include "kiosk/core/reply_coach.h"

#include <algorithm>
#include <array>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace kiosk::core {
namespace {

// [1] ---------------------------------------------------------------------------------------
struct Token {
  std::string norm;       // lowercase ASCII, accents folded, apostrophes dropped
  std::size_t begin = 0;  // byte span in the original text
  std::size_t end = 0;
  bool capitalized = false;  // first letter upper case
  bool all_caps = false;     // every letter upper case (DM, OK, shouting)
  bool sentence_start = false;
  bool handle = false;  // written as @name
  bool comma_after = false;
};

// Latin-1 supplement letters (U+00C0..U+00FF, UTF-8 C3 80..C3 BF): base letter, 0 if none.
char fold_c3(unsigned char b, bool& upper) {
  static constexpr std::string_view kFold =
      "aaaaaaaceeeeiiii"   // C3 80..8F  À..Ï
      "dnooooo ouuuuyts"   // C3 90..9F  Ð..ß
      "aaaaaaaceeeeiiii"   // C3 A0..AF  à..ï
      "dnooooo ouuuuyty";  // C3 B0..BF  ð..ÿ
  if (b < 0x80 || b > 0xBF) return 0;
  upper = b < 0xA0 && b != 0x9F;
  const char c = kFold[b - 0x80];
  return c == ' ' ? 0 : c;
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  Token cur;
  bool in_word = false, next_starts = true, pending_handle = false;
  bool has_lower = false;
  auto finish = [&](std::size_t at) {
    if (!in_word) return;
    cur.end = at;
    cur.all_caps = !has_lower && cur.capitalized;
    if (!cur.norm.empty()) out.push_back(cur);
    cur = Token{};
    in_word = false;
  };
  auto letter = [&](char c, bool upper, std::size_t at) {
    if (!in_word) {
      cur.begin = at;
      cur.capitalized = upper;
      cur.sentence_start = next_starts;
      cur.handle = pending_handle;
      in_word = true;
      has_lower = false;
      next_starts = false;
      pending_handle = false;
    }
    if (!upper && c >= 'a' && c <= 'z') has_lower = true;
    cur.norm += c;
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      const char c = static_cast<char>(b);
      if (c >= 'A' && c <= 'Z') {
        letter(static_cast<char>(c + 32), true, i);
      } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        letter(c, false, i);
      } else if (c == '\'' && in_word) {
        // you're -> youre: keeps one word
      } else {
        finish(i);
        if (c == '.' || c == '!' || c == '?' || c == '\n' || c == '-' || c == ':')
          next_starts = true;
        if (c == ',' && !out.empty()) out.back().comma_after = true;
        pending_handle = c == '@';
      }
      ++i;
      continue;
    }
    std::size_t len = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
    len = std::min(len, text.size() - i);
    bool upper = false;
    const char folded =
        (b == 0xC3 && len == 2) ? fold_c3(static_cast<unsigned char>(text[i + 1]), upper) : 0;
    const std::string_view seq = text.substr(i, len);
    if (folded) {
      letter(folded, upper, i);
      if (folded == 's' && static_cast<unsigned char>(text[i + 1]) == 0x9F) cur.norm += 's';  // ß
    } else if (seq == "\xE2\x80\x99" && in_word) {
      // typographic apostrophe inside a word
    } else {
      finish(i);
      if (seq == "\xE2\x80\x93" || seq == "\xE2\x80\x94") next_starts = true;  // – —
    }
    i += len;
  }
  finish(text.size());
  return out;
}

bool ends_with(const std::string& w, std::string_view suf) {
  return w.size() >= suf.size() && w.compare(w.size() - suf.size(), suf.size(), suf) == 0;
}

// A rough stem, enough to match "waited"/"waiting", "cajas"/"caja", "minutes"/"minutos".
std::string stem(std::string w) {
  if (w.size() >= 4 && w.back() == 's' && w[w.size() - 2] != 's') w.pop_back();
  for (std::string_view suf :
       {"mente", "iendo", "aron", "ando", "ing", "ado", "ido", "ada", "ida", "ed", "ly"}) {
    if (w.size() >= suf.size() + 3 && ends_with(w, suf)) {
      w.resize(w.size() - suf.size());
      break;
    }
  }
  if (w.size() >= 4 && (w.back() == 'a' || w.back() == 'e' || w.back() == 'o')) w.pop_back();
  if (w.size() > 6) w.resize(6);
  return w;
}

// [2] ---------------------------------------------------------------------------------------
// Template phrases, as written; they are tokenized like drafts, so accents and case do not
// matter. Longer phrases first: a match uses its words up.
constexpr std::array kGenericPhrases = {
    // English
    "sorry for any inconvenience", "apologise for any inconvenience",
    "apologize for any inconvenience", "apologies for any inconvenience",
    "sorry for the inconvenience", "apologise for the inconvenience",
    "apologize for the inconvenience", "apologies for the inconvenience",
    "inconvenience this may have caused", "inconvenience caused", "any inconvenience",
    "we value your feedback", "thank you for your feedback", "thanks for your feedback",
    "we appreciate your feedback", "thank you for reaching out", "thanks for reaching out",
    "thank you for contacting us", "thanks for contacting us", "bringing this to our attention",
    "we appreciate your business", "sorry to hear about your experience",
    "sorry to hear about this", "sorry to hear this", "sorry to hear that",
    "sorry you had a bad experience", "did not meet expectations", "didn't meet expectations",
    "did not meet your expectations", "didn't meet your expectations", "dm us", "send us a dm",
    "send us a direct message", "direct message", "message us privately", "reach out to us",
    "via dm", "contact customer service", "contact our customer care", "customer care team",
    "at your convenience", "pass it on to the team", "pass this on to the team",
    "passed this on to the relevant team", "the relevant team", "share your comments",
    "we will look into it", "look into this further", "look into it", "take it on board",
    "always looking to improve", "working hard to improve", "strive to provide",
    "customer satisfaction is our top priority", "your satisfaction is important to us",
    "is our top priority", "very seriously", "hope to see you again soon", "see you again soon",
    "glad you enjoyed your visit", "have a great day", "we are delighted to hear",
    "thanks for your kind words", "thank you for your kind words", "for more information",
    // Spanish
    "disculpe las molestias", "disculpa las molestias", "disculpen las molestias",
    "lamentamos las molestias", "lamentamos mucho las molestias", "sentimos las molestias",
    "perdón por las molestias", "molestias ocasionadas", "valoramos su opinión",
    "valoramos tu opinión", "gracias por su comentario", "gracias por tu comentario",
    "gracias por contactarnos", "gracias por ponerse en contacto", "tomamos nota",
    "la trasladaremos al equipo", "lo trasladaremos al equipo", "trasladaremos al equipo",
    "mensaje privado", "por privado", "mensaje directo", "contacte con atención al cliente",
    "para más información", "trabajamos para mejorar", "trabajando para mejorar",
    "sentimos mucho lo ocurrido", "lamentamos lo ocurrido", "es un placer atenderle",
    "nos alegra mucho que hayas disfrutado", "hayas disfrutado de tu visita", "te esperamos pronto",
    "gracias por tus palabras", "su satisfacción es nuestra prioridad", "nuestra prioridad"};

// Words too common to say anything about the issue (stems are compared, so plurals go too).
constexpr std::array kStopWords = {
    "a",     "an",   "the",   "and",   "or",      "but",    "if",     "to",     "of",    "in",
    "on",    "at",   "for",   "with",  "from",    "by",     "about",  "as",     "is",    "are",
    "was",   "were", "be",    "been",  "it",      "its",    "this",   "that",   "these", "those",
    "there", "here", "i",     "im",    "ive",     "ill",    "id",     "me",     "my",    "we",
    "weve",  "our",  "us",    "you",   "youre",   "your",   "they",   "them",   "their", "he",
    "she",   "her",  "him",   "his",   "so",      "too",    "very",   "just",   "not",   "no",
    "all",   "any",  "some",  "can",   "could",   "would",  "should", "will",   "have",  "has",
    "had",   "do",   "does",  "did",   "dont",    "didnt",  "what",   "when",   "where", "who",
    "why",   "how",  "again", "one",   "get",     "got",    "out",    "up",     "only",  "more",
    "than",  "then", "now",   "also",  "into",    "over",   "after",  "before", "like",  "really",
    "still", "even", "much",  "many",  "please",  "thanks", "thank",  "hi",     "hello", "sorry",
    "today", "yes",  "ok",    "de",    "la",      "el",     "los",    "las",    "un",    "una",
    "unos",  "unas", "y",     "o",     "que",     "en",     "al",     "del",    "con",   "por",
    "para",  "se",   "te",    "le",    "lo",      "nos",    "su",     "sus",    "tu",    "tus",
    "mi",    "mis",  "es",    "son",   "fue",     "era",    "estaba", "esta",   "este",  "esto",
    "muy",   "mas",  "pero",  "como",  "ya",      "si",     "sin",    "hay",    "habia", "solo",
    "yo",    "ha",   "hemos", "han",   "gracias", "hola",   "todo",   "toda",   "todos", "ni",
    "ese",   "esa",  "eso",   "mucho", "mucha",   "hoy"};

constexpr std::array kEnglishMarkers = {"the",  "and", "you",    "your", "we", "to", "is", "for",
                                        "with", "our", "thanks", "i",    "it", "of", "in"};
constexpr std::array kSpanishMarkers = {"el",  "la",      "los", "las", "que", "de",  "y",  "por",
                                        "con", "gracias", "tu",  "su",  "te",  "nos", "es", "una",
                                        "un",  "en",      "lo",  "del", "al",  "muy"};

// Capitalised in the middle of a sentence without being a person.
constexpr std::array kNotNames = {
    "i",         "im",     "ive",      "ill",    "id",        "monday",   "tuesday",  "wednesday",
    "thursday",  "friday", "saturday", "sunday", "january",   "february", "march",    "april",
    "may",       "june",   "july",     "august", "september", "october",  "november", "december",
    "christmas", "easter", "downtown", "uptown", "app",       "hi",       "hello",    "hola",
    "thanks",    "thank",  "gracias",  "dear",   "please",    "sorry"};

// Words that say somebody did or will do something.
constexpr std::array kActions = {
    "ive",       "weve",      "ill",        "will",         "fixed",    "fixing",    "replaced",
    "replacing", "refund",    "refunded",   "restocked",    "booked",   "ordered",   "spoken",
    "spoke",     "talked",    "asked",      "moved",        "added",    "removed",   "put",
    "checked",   "check",     "cleaned",    "dried",        "refilled", "fetch",     "bring",
    "call",      "ring",      "ask",        "come",         "pop",      "reach",     "shown",
    "showed",    "told",      "read",       "pinned",       "doubled",  "opened",    "open",
    "reminded",  "pulled",    "found",      "taken",        "made",     "goes",      "starting",
    "sort",      "fix",       "repair",     "serve",        "walk",     "trained",   "changed",
    "set",       "he",        "hemos",      "voy",          "vamos",    "pasate",    "pregunta",
    "llamame",   "llama",     "devolvemos", "devolveremos", "abrimos",  "abriremos", "puesto",
    "hablado",   "revisado",  "limpiado",   "cambiado",     "pedido",   "ensenado",  "contado",
    "leido",     "sacamos",   "colgamos",   "repasamos",    "atiendo",  "cuadrado",  "quitado",
    "arreglado", "reponemos", "repuesto",   "llamo"};

constexpr std::array kTimeWords = {
    "today",    "tonight", "tomorrow", "monday",  "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",  "weekend",  "week",    "morning", "afternoon", "evening",  "now",
    "hour",     "hourly",  "minutes",  "until",   "from",    "every",     "each",     "daily",
    "pm",       "am",      "days",     "hoy",     "manana",  "lunes",     "martes",   "miercoles",
    "jueves",   "viernes", "sabado",   "domingo", "semana",  "ahora",     "hora",     "desde",
    "momento",  "cada",    "dias",     "tarde",   "noche",   "minutos"};

constexpr std::array kPraiseWords = {"thanks",    "thank",   "love",      "loved",     "lovely",
                                     "great",     "amazing", "brilliant", "shoutout",  "best",
                                     "kind",      "helpful", "beyond",    "cleanest",  "fantastic",
                                     "wonderful", "gracias", "encanta",   "encantada", "encantado",
                                     "genial",    "amable",  "atento",    "atenta",    "maravilla"};
constexpr std::array kComplaintWords = {
    "waited",   "waiting", "rude",    "dirty",      "filthy", "wet",      "ridiculous", "awful",
    "horrible", "never",   "nobody",  "empty",      "broken", "wrong",    "charged",    "missing",
    "unsafe",   "off",     "refused", "no",         "not",    "mal",      "sucio",      "sucios",
    "borde",    "nadie",   "espere",  "lamentable", "cola",   "cobraron", "casi"};

struct Phrase {
  std::string text;
  std::vector<std::string> words;
};

using WordSet = std::unordered_set<std::string_view>;

template <typename List>
WordSet word_set(const List& list) {
  return WordSet(list.begin(), list.end());
}

bool has(const WordSet& set, std::string_view w) {
  return set.count(w) > 0;
}

// Built once from the lists above; read-only afterwards.
struct Tables {
  std::vector<Phrase> phrases;
  // Phrases by their first word, longest first: a match uses its words up.
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_word;
  std::unordered_set<std::string> generic_stems;  // never count as naming the issue
  WordSet stop = word_set(kStopWords), english = word_set(kEnglishMarkers),
          spanish = word_set(kSpanishMarkers), not_names = word_set(kNotNames),
          actions = word_set(kActions), times = word_set(kTimeWords),
          praise = word_set(kPraiseWords), complaint = word_set(kComplaintWords);
};

const Tables& tables() {
  static const Tables t = [] {
    Tables out;
    for (const char* p : kGenericPhrases) {
      Phrase ph{p, {}};
      for (const auto& tok : tokenize(p)) {
        ph.words.push_back(tok.norm);
        if (!has(out.stop, tok.norm)) out.generic_stems.insert(stem(tok.norm));
      }
      out.phrases.push_back(std::move(ph));
    }
    for (std::size_t i = 0; i < out.phrases.size(); ++i)
      out.by_first_word[out.phrases[i].words.front()].push_back(i);
    for (auto& [word, list] : out.by_first_word)
      std::stable_sort(list.begin(), list.end(), [&](std::size_t a, std::size_t b) {
        return out.phrases[a].words.size() > out.phrases[b].words.size();
      });
    for (const char* w : {"store", "shop", "staff", "team", "visit", "experience", "customer",
                          "service", "post", "tienda", "equipo", "cliente"})
      out.generic_stems.insert(stem(w));
    return out;
  }();
  return t;
}

bool is_content(const Token& t) {
  return t.norm.size() >= 3 && !has(tables().stop, t.norm);
}

// [3] ---------------------------------------------------------------------------------------
std::uint64_t fnv1a(std::uint64_t h, std::string_view s) {
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

std::vector<std::uint64_t> shingles(const std::vector<Token>& tokens) {
  std::vector<std::uint64_t> out;
  const std::size_t k = 3;
  if (tokens.empty()) return out;
  const std::size_t n = tokens.size() < k ? 1 : tokens.size() - k + 1;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t h = 14695981039346656037ULL;
    for (std::size_t j = i; j < std::min(i + k, tokens.size()); ++j)
      h = fnv1a(fnv1a(h, tokens[j].norm), " ");
    out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// [4] ---------------------------------------------------------------------------------------
std::string language_of(const std::vector<Token>& draft, const std::vector<Token>& mention) {
  auto count = [](const std::vector<Token>& ts, const WordSet& set) {
    int n = 0;
    for (const auto& t : ts) n += has(set, t.norm) ? 1 : 0;
    return n;
  };
  const Tables& tab = tables();
  int en = count(draft, tab.english), es = count(draft, tab.spanish);
  if (en == es) {
    en += count(mention, tab.english);
    es += count(mention, tab.spanish);
  }
  return es > en ? "es" : "en";
}

bool looks_like_a_name(const Token& t) {
  return t.capitalized && !t.all_caps && t.norm.size() >= 2 && !has(tables().not_names, t.norm) &&
         !has(tables().stop, t.norm);
}

bool names_a_person(const std::vector<Token>& draft, const std::vector<Token>& mention) {
  std::set<std::string> mention_names;
  for (const auto& t : mention)
    if (t.handle || (looks_like_a_name(t) && !t.sentence_start)) mention_names.insert(t.norm);
  for (std::size_t i = 0; i < draft.size(); ++i) {
    const Token& t = draft[i];
    if (t.handle || mention_names.count(t.norm)) return true;
    if (looks_like_a_name(t) && !t.sentence_start) return true;
    // A signature: "Dana, store manager" or "– Jorge" closing the reply.
    if (looks_like_a_name(t) && t.sentence_start) {
      std::size_t j = i + 1;
      while (j < draft.size() && !draft[j].sentence_start) ++j;
      const bool last = j == draft.size();
      if (last && (j - i == 1 || (t.comma_after && j - i <= 4))) return true;
    }
  }
  return false;
}

bool has_contact(std::string_view draft) {
  int digits = 0, best = 0;
  for (char c : draft) {
    if (c >= '0' && c <= '9')
      best = std::max(best, ++digits);
    else if (c != ' ' && c != '-')
      digits = 0;
  }
  if (best >= 7) return true;  // a phone number
  const auto at = draft.find('@');
  return at != std::string_view::npos && draft.find('.', at) != std::string_view::npos && at > 0 &&
         draft[at - 1] != ' ';
}

struct Signals {
  std::vector<std::pair<std::size_t, std::size_t>> phrase_spans;  // byte spans in the draft
  int issue_overlap = 0;
  int mention_content = 0;
  std::vector<std::string> missing_issue_words;  // mention words, as written there
  bool person = false;
  bool next_step = false;
  bool first_person = false;
  int substance = 0;  // distinct content words outside template phrases
  bool praise = false;
};

Signals read_signals(std::string_view draft_text, const std::vector<Token>& draft,
                     std::string_view mention_text, const std::vector<Token>& mention) {
  const Tables& tab = tables();
  Signals s;
  std::vector<bool> used(draft.size(), false);
  // Left to right, the longest phrase starting at each word.
  for (std::size_t i = 0; i < draft.size(); ++i) {
    const auto it = tab.by_first_word.find(draft[i].norm);
    if (it == tab.by_first_word.end()) continue;
    for (std::size_t p : it->second) {
      const auto& words = tab.phrases[p].words;
      const std::size_t n = words.size();
      if (i + n > draft.size()) continue;
      bool match = true;
      for (std::size_t k = 1; k < n && match; ++k) match = draft[i + k].norm == words[k];
      if (!match) continue;
      for (std::size_t k = 0; k < n; ++k) used[i + k] = true;
      s.phrase_spans.emplace_back(draft[i].begin, draft[i + n - 1].end);
      i += n - 1;
      break;
    }
  }
  std::set<std::string> draft_stems, free_stems;
  int actions = 0, times = 0;
  for (std::size_t i = 0; i < draft.size(); ++i) {
    const Token& t = draft[i];
    if (is_content(t)) {
      draft_stems.insert(stem(t.norm));
      if (!used[i] && !tab.generic_stems.count(stem(t.norm))) free_stems.insert(stem(t.norm));
    }
    if (!used[i] && has(tab.actions, t.norm)) ++actions;
    if (has(tab.times, t.norm) || (!t.norm.empty() && t.norm[0] >= '0' && t.norm[0] <= '9'))
      ++times;
    if (t.norm == "i" || t.norm == "im" || t.norm == "ive" || t.norm == "ill" || t.norm == "me" ||
        t.norm == "my" || t.norm == "yo" || t.norm == "he" || t.norm == "soy" || t.norm == "mi")
      s.first_person = true;
  }
  s.substance = static_cast<int>(free_stems.size());
  std::set<std::string> seen;
  int praise = 0, complaint = 0;
  for (const auto& t : mention) {
    praise += has(tab.praise, t.norm) ? 1 : 0;
    complaint += has(tab.complaint, t.norm) ? 1 : 0;
    if (!is_content(t)) continue;
    const std::string st = stem(t.norm);
    if (tab.generic_stems.count(st) || !seen.insert(st).second) continue;
    ++s.mention_content;
    if (draft_stems.count(st))
      ++s.issue_overlap;
    else if (s.missing_issue_words.size() < 3)
      s.missing_issue_words.emplace_back(mention_text.substr(t.begin, t.end - t.begin));
  }
  s.praise = praise > complaint;
  s.person = names_a_person(draft, mention);
  const bool asks_for = [&] {
    for (std::size_t i = 0; i + 2 < draft.size(); ++i)
      if ((draft[i].norm == "ask" && draft[i + 1].norm == "for") ||
          (draft[i].norm == "pregunta" && draft[i + 1].norm == "por"))
        return true;
    return false;
  }();
  s.next_step = has_contact(draft_text) || asks_for || (actions >= 1 && times >= 1) ||
                actions >= 3 || (s.praise && actions >= 1);
  return s;
}

// [5] ---------------------------------------------------------------------------------------
std::string percent(double x) {
  return std::to_string(static_cast<int>(x * 100 + 0.5)) + "%";
}

}  // namespace

void EarlierReplies::add(std::string_view reply) {
  const auto id = static_cast<std::uint32_t>(sizes_.size());
  const auto sh = shingles(tokenize(reply));
  sizes_.push_back(static_cast<std::uint32_t>(sh.size()));
  for (const auto h : sh) postings_[h].push_back(id);
}

EarlierReplies::Match EarlierReplies::closest(std::string_view draft) const {
  Match best;
  const auto a = shingles(tokenize(draft));
  if (a.empty()) return best;
  std::unordered_map<std::uint32_t, std::uint32_t> shared;  // reply -> shingles in common
  for (const auto h : a)
    if (const auto it = postings_.find(h); it != postings_.end())
      for (const auto r : it->second) ++shared[r];
  for (const auto& [r, inter] : shared) {
    const double jaccard =
        static_cast<double>(inter) / static_cast<double>(a.size() + sizes_[r] - inter);
    const double containment = static_cast<double>(inter) / static_cast<double>(a.size());
    const bool better =
        jaccard > best.jaccard ||
        (jaccard == best.jaccard &&
         (containment > best.containment || (containment == best.containment && r < best.index)));
    if (better) best = {jaccard, containment, r};
  }
  return best;
}

std::string_view to_string(HintKind k) {
  switch (k) {
    case HintKind::near_duplicate:
      return "near_duplicate";
    case HintKind::generic_phrase:
      return "generic_phrase";
    case HintKind::name_the_issue:
      return "name_the_issue";
    case HintKind::next_step:
      return "next_step";
    case HintKind::add_a_person:
      return "add_a_person";
    case HintKind::looks_good:
      return "looks_good";
    case HintKind::what_works:
      return "what_works";
  }
  return "looks_good";
}

CoachReport coach_reply(std::string_view draft, std::string_view mention,
                        const EarlierReplies& earlier) {
  CoachReport r;
  const auto dt = tokenize(draft);
  const auto mt = tokenize(mention);
  r.language = language_of(dt, mt);
  const bool es = r.language == "es";
  if (dt.empty()) {
    r.generic = true;
    r.hints.push_back({HintKind::name_the_issue, es ? "Empieza por lo que te ha contado."
                                                    : "Start with what they told you."});
    return r;
  }
  const Signals s = read_signals(draft, dt, mention, mt);
  for (const auto& [b, e] : s.phrase_spans) r.generic_phrases.emplace_back(draft.substr(b, e - b));

  const auto sh = shingles(dt);
  // A copy needs a few words to be one: "Thank you!" matching an earlier "Thank you!" is not.
  EarlierReplies::Match m;
  if (sh.size() >= 4) m = earlier.closest(draft);
  r.duplicate_similarity = m.jaccard;
  r.near_duplicate = m.jaccard >= 0.5 || (m.containment >= 0.7 && sh.size() >= 6);

  const bool has_mention = !mt.empty();
  r.names_issue =
      has_mention && (s.issue_overlap >= 2 || (s.issue_overlap >= 1 && s.mention_content <= 3));
  r.names_person = s.person;
  r.next_step = s.next_step;

  int score = 10;
  if (has_mention)
    score += r.names_issue ? 30 : s.issue_overlap >= 1 ? 12 : 0;
  else
    score += s.substance >= 6 ? 20 : 0;
  score += r.names_person ? 20 : 0;
  score += r.next_step ? 25 : 0;
  score += s.first_person ? 5 : 0;
  score += std::min(10, s.substance);
  score -= 15 * std::min(3, static_cast<int>(r.generic_phrases.size()));
  if (r.near_duplicate) score -= 45;
  r.score = std::clamp(score, 0, 100);
  r.generic = r.near_duplicate || r.score < 50;

  // Hints: the most useful first, at most three.
  auto hint = [&](HintKind k, std::string text) {
    if (r.hints.size() < 3) r.hints.push_back({k, std::move(text)});
  };
  if (r.near_duplicate)
    hint(HintKind::near_duplicate,
         es ? "Se parece en un " + percent(m.jaccard) +
                  " a una respuesta ya publicada: escribe esta para esta persona."
            : "This is " + percent(m.jaccard) +
                  " the same as a reply already posted: write this one for this person.");
  if (!r.generic_phrases.empty())
    hint(HintKind::generic_phrase,
         es ? "Quita \"" + r.generic_phrases.front() + "\": suena a plantilla."
            : "Cut \"" + r.generic_phrases.front() + "\": it reads like a template.");
  if (has_mention && !r.names_issue && !s.missing_issue_words.empty()) {
    std::string words;
    for (const auto& w : s.missing_issue_words) words += (words.empty() ? "" : ", ") + w;
    hint(HintKind::name_the_issue,
         es ? "Nombra lo que le pasó con tus palabras (" + words + ")."
            : "Name what happened to them in your words (" + words + ").");
  }
  if (!r.next_step)
    hint(HintKind::next_step,
         s.praise
             ? (es ? "Di qué harás con su mensaje (¿se lo contarás a alguien?)."
                   : "Say what you'll do with their words (tell someone?).")
             : (es ? "Di qué va a pasar ahora, y cuándo." : "Say what happens next, and when."));
  if (!r.names_person)
    hint(HintKind::add_a_person,
         es ? "Usa su nombre, o firma con el tuyo." : "Use their name, or sign with yours.");
  if (r.hints.empty())
    hint(HintKind::looks_good, es ? "Concreta y personal: lista cuando quieras."
                                  : "Specific and personal: ready when you are.");
  // With fewer than two hints, say what already works, so the coach is not only a critic.
  std::vector<std::string> works;
  if (r.names_issue) works.emplace_back(es ? "su problema" : "their issue");
  if (r.names_person) works.emplace_back(es ? "a una persona" : "a person");
  if (r.next_step) works.emplace_back(es ? "un siguiente paso" : "a next step");
  if (r.hints.size() < 2 && !works.empty()) {
    std::string list;
    for (std::size_t i = 0; i < works.size(); ++i)
      list += (i == 0 ? "" : i + 1 == works.size() ? (es ? " y " : " and ") : ", ") + works[i];
    hint(HintKind::what_works, (es ? "Bien: nombra " : "Good: it names ") + list + ".");
  }
  return r;
}

}  // namespace kiosk::core
