package dev.ponder.cli;

import dev.ponder.engine.gguf.GGUFFile;
import dev.ponder.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ponder tokenize}: prints the token ids of a text under a GGUF file's tokenizer. */
@Command(name = "tokenize", mixinStandardHelpOptions = true, description = "Print the token ids of TEXT (no BOS unless --special).")
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, description = "GGUF file (a model or a vocabulary-only file).")
    Path model;

    @Option(names = "--special", description = "Add BOS (if the model uses one) and parse special tokens such as <|im_start|>.")
    boolean special;

    @Option(names = "--pieces", description = "Also print each token's text.")
    boolean pieces;

    @Parameters(paramLabel = "TEXT", description = "Text to tokenize.")
    String text;

    @Override
    public Integer call() {
        try (GGUFFile g = GGUFFile.open(model)) {
            Tokenizer tok = Tokenizer.fromGGUF(g);
            int[] ids = tok.encode(text, special && tok.addsBos(), special);
            System.out.println(Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(" ")));
            if (pieces)
                System.out.println(Arrays.stream(ids).mapToObj(id -> id + "\t" + Json.quote(tok.tokenText(id))).collect(Collectors.joining("\n")));
        }
        return 0;
    }
}
