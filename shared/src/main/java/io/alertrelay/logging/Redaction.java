package io.alertrelay.logging;

import io.alertrelay.settings.Secret;
import io.alertrelay.settings.ServiceBusTarget;
import io.alertrelay.settings.Settings;
import io.alertrelay.settings.SettingsException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guard between careless text and a log row (DESIGN §9: secrets never reach a log line). {@link #scrub} masks
 * <ul>
 *   <li>the secrets this instance knows by value: every secret setting (Service Bus connection string and its
 *       SharedAccessKey, Cosmos key, signing secrets with and without {@code whsec_}, tenant token keys);</li>
 *   <li>anything that looks like a secret: {@code SharedAccessKey=}, {@code AccountKey=}, {@code sig=},
 *       {@code token=}, {@code code=}, {@code password=}, {@code secret=}, {@code key=} and the like (also as
 *       {@code "token": "…"}), {@code whsec_…}, {@code Bearer …} and {@code SharedAccessSignature …}, a run of 20
 *       or more token characters after the words token, key, secret, password, signature or credential, JWTs, and
 *       the password of a URL's user info.</li>
 * </ul>
 * The pattern rules also protect against secrets the settings do not hold (a token in a webhook URL, a bearer token
 * in an exception text). Masks are {@value #MASK}; the name before a value stays, so a reader still sees what was
 * there.
 */
public final class Redaction {

    public static final String MASK = "***";

    /** Shorter known secrets are not masked by value: they would mask ordinary words. Pattern rules still apply. */
    static final int MIN_KNOWN_SECRET_LENGTH = 6;

    /**
     * Past a cut, {@link #scrub(String, int)} still scrubs this many characters: a value after a name (kept whole by
     * the name), a run of 20 token characters after {@code token}, a JWT or a URL's password that starts before the
     * cut is then masked as if the text had not been cut.
     */
    static final int CUT_MARGIN = 1024;

    private static final String NAMES = "SharedAccessKey|SharedAccessSignature|AccountKey|AccessKey|Password|Pwd"
            + "|ClientSecret|client_secret|secret|access_token|refresh_token|id_token|token|apikey|api_key|api-key"
            + "|x-functions-key|webhook-signature|key";
    private static final String VALUE = "[^\\s;&\"',}<>]++";
    private static final String BEFORE_NAME = "(?<![A-Za-z0-9_-])";

    /**
     * Every rule runs in time linear in the text's length (issue 12: {@code eyJ} repeated 80,000 times held a request
     * for 20 s). Two things make a regular expression slow on hostile text, and neither is here:
     * <ul>
     *   <li>backtracking into a run: every quantifier is possessive ({@code *+}, {@code ++}, {@code {4,}+}), and each
     *       is followed by a character its class cannot hold, so giving characters back could never make a match;</li>
     *   <li>starting again inside a run already scanned: a rule that scans a run of token characters starts only
     *       where that run starts (a {@code \\b} or a one-character look-behind), except {@code whsec_}, whose
     *       match takes the whole run it starts in. So no character is scanned from more than a few starts.</li>
     * </ul>
     * The one rule this changed is the JWT's: it now starts only where a run of token characters starts, so
     * {@code xeyJ…} inside a longer word is no longer taken for a token.
     */
    private static final Pattern SECRET_LOOKING = Pattern.compile("(?i)"
            // name=value, as in connection strings and query strings; code= (function key) and sig= (SAS) only here
            + "(?<eq>" + BEFORE_NAME + "(?:" + NAMES + "|code|sig)[\"']?\\s*+=\\s*+[\"']?)" + VALUE
            // "name": "value", as in JSON or headers; not code: or sig:, too common in prose
            + "|(?<colon>" + BEFORE_NAME + "(?:" + NAMES + ")[\"']?\\s*+:\\s*+[\"']?)" + VALUE
            + "|(?<auth>\\b(?:Bearer|SharedAccessSignature)\\s++)[A-Za-z0-9._~+/=%-]++"
            // "token <value>", "key <value>", ...: a long run of token characters after such a word
            + "|(?<word>\\b(?:token|key|secret|password|signature|credential)s?\\s++)(?!eyJ)[A-Za-z0-9+/_=-]{20,}+"
            + "|(?<whsec>whsec_)[A-Za-z0-9+/=_-]*+"
            + "|(?<jwt>" + BEFORE_NAME + "eyJ[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]{4,}+\\.[A-Za-z0-9_-]*+)"
            + "|(?<userinfo>://[^/\\s:@]++:)[^/\\s@]++@");

    private static final Redaction PATTERNS_ONLY = new Redaction(List.of());

    private final List<String> knownSecrets;

    private Redaction(List<String> knownSecrets) {
        this.knownSecrets = knownSecrets;
    }

    /** Pattern rules only. */
    public static Redaction patternsOnly() {
        return PATTERNS_ONLY;
    }

    /** Pattern rules, plus these values masked wherever they appear. */
    public static Redaction of(Collection<String> knownSecrets) {
        Set<String> values = new LinkedHashSet<>();
        for (String s : knownSecrets) {
            if (s != null && s.strip().length() >= MIN_KNOWN_SECRET_LENGTH) {
                values.add(s.strip());
            }
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparingInt(String::length).reversed()); // longest first: a key inside its string
        return new Redaction(List.copyOf(sorted));
    }

    /** Pattern rules, plus every secret setting masked by value. */
    public static Redaction forSettings(Settings settings) {
        List<String> values = new ArrayList<>();
        settings.serviceBus().flatMap(ServiceBusTarget::connectionString).map(Secret::reveal).ifPresent(c -> {
            values.add(c);
            for (String part : c.split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase("SharedAccessKey")) {
                    values.add(part.substring(eq + 1));
                }
            }
        });
        settings.cosmosKey().map(Secret::reveal).ifPresent(values::add);
        for (Secret s : settings.platformSigningSecrets()) {
            values.add(s.reveal());
            if (s.reveal().startsWith("whsec_")) {
                values.add(s.reveal().substring("whsec_".length()));
            }
        }
        settings.tenantTokenKeys().forEach(k -> values.add(k.reveal()));
        return of(values);
    }

    /**
     * The first {@code maxChars} characters of the text with every secret masked, ending in {@code …} when the text
     * was longer; null stays null. The text is cut <em>before</em> it is scrubbed, so the work is bounded by
     * {@code maxChars} whatever the text's length (a 1 MiB field costs what its first few kilobytes cost). What lies
     * just past the cut is scrubbed with it ({@link #cutMargin()} characters), so a secret across the cut is still
     * masked whole rather than leaving its start behind.
     */
    public String scrub(String text, int maxChars) {
        if (text == null) {
            return null;
        }
        boolean longer = text.length() > maxChars;
        String scrubbed = scrub(longer ? prefix(text, maxChars + cutMargin()) : text);
        if (!longer && scrubbed.length() <= maxChars) {
            return scrubbed;
        }
        return prefix(scrubbed, maxChars - 1) + "…";
    }

    /** How far past a cut {@link #scrub(String, int)} still scrubs: the longest known secret, and at least 1 KiB. */
    int cutMargin() {
        return Math.max(CUT_MARGIN, knownSecrets.isEmpty() ? 0 : knownSecrets.get(0).length());
    }

    /** At most {@code length} characters, never ending in the first half of a surrogate pair. */
    static String prefix(String s, int length) {
        if (s.length() <= length) {
            return s;
        }
        int end = Math.max(0, length);
        if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** The text with every secret masked; null stays null. */
    public String scrub(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String s = text;
        for (String secret : knownSecrets) {
            if (s.contains(secret)) {
                s = s.replace(secret, MASK);
            }
        }
        if (!mightLookSecret(s)) {
            return s;
        }
        return maskPatterns(s);
    }

    /** The pattern rules alone, without the quick scan (the tests hold the two to the same answers). */
    static String maskPatterns(String s) {
        Matcher m = SECRET_LOOKING.matcher(s);
        if (!m.find()) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        do {
            String kept;
            if (m.group("eq") != null) {
                kept = m.group("eq") + MASK;
            } else if (m.group("colon") != null) {
                kept = m.group("colon") + MASK;
            } else if (m.group("auth") != null) {
                kept = m.group("auth") + MASK;
            } else if (m.group("word") != null) {
                kept = m.group("word") + MASK;
            } else if (m.group("whsec") != null) {
                kept = m.group("whsec") + MASK;
            } else if (m.group("userinfo") != null) {
                kept = m.group("userinfo") + MASK + "@";
            } else {
                kept = MASK;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(kept));
        } while (m.find());
        m.appendTail(out);
        return out.toString();
    }

    private static final Set<String> NAMES_BEFORE_EQUALS = lowerCase(NAMES + "|code|sig");
    private static final Set<String> NAMES_BEFORE_COLON = lowerCase(NAMES);
    private static final Set<String> WORDS_BEFORE_SPACE = lowerCase("Bearer|SharedAccessSignature|token|tokens|key"
            + "|keys|secret|secrets|password|passwords|signature|signatures|credential|credentials");
    private static final int LONGEST_NAME = 32;

    private static Set<String> lowerCase(String alternatives) {
        Set<String> set = new java.util.HashSet<>();
        for (String name : alternatives.split("\\|")) {
            set.add(name.toLowerCase(java.util.Locale.ROOT));
        }
        return Set.copyOf(set);
    }

    /**
     * A quick scan that is true whenever a pattern rule could match (and sometimes when none does), so that most
     * messages skip the regular expression: one pass, looking only at the word before each {@code =}, {@code :} or
     * space, and for {@code whsec_}, {@code eyJ} and {@code ://}. Linear: every look back is bounded by
     * {@value #LONGEST_NAME} characters or by the run of spaces before one {@code =} or {@code :}.
     */
    static boolean mightLookSecret(String s) {
        int n = s.length();
        int lastAt = s.lastIndexOf('@'); // once: an indexOf at every "://" made "://" repeated quadratic
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '=' || c == ':') {
                if (c == ':' && i < lastAt && s.startsWith("//", i + 1)) {
                    return true;
                }
                int j = i - 1;
                while (j >= 0 && isSpace(s.charAt(j))) {
                    j--;
                }
                if (j >= 0 && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
                    j--;
                }
                int end = j + 1;
                while (j >= 0 && end - j <= LONGEST_NAME && isNameChar(s.charAt(j))) {
                    j--;
                }
                if (end - j - 1 > 0 && (c == '=' ? NAMES_BEFORE_EQUALS : NAMES_BEFORE_COLON)
                        .contains(s.substring(j + 1, end).toLowerCase(java.util.Locale.ROOT))) {
                    return true;
                }
            } else if (isSpace(c)) {
                int j = i - 1;
                while (j >= 0 && i - j <= LONGEST_NAME && isAsciiLetter(s.charAt(j))) {
                    j--;
                }
                if (i - j - 1 > 2 && "bBsStTkKpPcC".indexOf(s.charAt(j + 1)) >= 0
                        && WORDS_BEFORE_SPACE.contains(s.substring(j + 1, i).toLowerCase(java.util.Locale.ROOT))) {
                    return true;
                }
            } else if ((c == 'w' || c == 'W') && s.regionMatches(true, i, "whsec_", 0, 6)) {
                return true;
            } else if ((c == 'e' || c == 'E') && s.regionMatches(true, i, "eyj", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNameChar(char c) {
        return isAsciiLetter(c) || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /** How many secrets this instance masks by value (not which). */
    public int knownSecretCount() {
        return knownSecrets.size();
    }

    @Override
    public String toString() {
        return "Redaction{knownSecrets=" + knownSecrets.size() + "}";
    }
}
