package dev.ponder.learn.train;

import dev.ponder.engine.PonderException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Saves and restores the complete training state: model shape, optimisation settings, weights, AdamW moments,
 * step count, loss history and elapsed time. Values are stored bit-exactly, so training continued from a
 * checkpoint is identical to training that never stopped. The file is written to a temporary sibling and
 * moved into place, so an interrupted save never destroys the previous checkpoint.
 *
 * <p>Format (big-endian {@link DataOutputStream}): magic "PONDRCKP", version, config fields, train fields,
 * step, elapsed nanos, data seed and fingerprint, history, the LoRA settings (rank 0: none; else alpha and the
 * targets' short names), then per weight its name, length and the w array, followed by its m and v arrays when
 * every weight is trained (little-endian floats); with LoRA, then per adapter factor its name, length, w, m and v.
 * Version 1 (before LoRA) had no LoRA settings and is still read.
 */
public final class Checkpoint {
    private static final long MAGIC = 0x504F4E4452434B50L; // "PONDRCKP"
    private static final int VERSION = 2;

    private Checkpoint() {}

    public static void save(Trainer t, Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
                out.writeLong(MAGIC);
                out.writeInt(VERSION);
                LlamaConfig c = t.weights().config;
                out.writeInt(c.dim()); out.writeInt(c.layers()); out.writeInt(c.heads()); out.writeInt(c.kvHeads());
                out.writeInt(c.ffnDim()); out.writeInt(c.vocab()); out.writeInt(c.contextLength());
                out.writeFloat(c.ropeBase()); out.writeFloat(c.rmsEps()); out.writeBoolean(c.tiedOutput());
                TrainConfig tc = t.config();
                out.writeInt(tc.steps()); out.writeFloat(tc.maxLr()); out.writeFloat(tc.minLr()); out.writeInt(tc.warmup());
                out.writeFloat(tc.weightDecay()); out.writeFloat(tc.beta1()); out.writeFloat(tc.beta2());
                out.writeFloat(tc.eps()); out.writeFloat(tc.gradClip()); out.writeInt(tc.accumulate());
                out.writeLong(t.optimizer.t);
                out.writeLong(t.trainingNanos());
                out.writeLong(t.dataSeed());
                out.writeLong(t.dataFingerprint());
                out.writeInt(t.history().size());
                for (StepRecord r : t.history()) {
                    out.writeLong(r.step()); out.writeDouble(r.loss()); out.writeFloat(r.lr());
                    out.writeDouble(r.gradNorm()); out.writeInt(r.tokens()); out.writeLong(r.nanos());
                }
                Lora lora = t.lora();
                out.writeInt(lora == null ? 0 : lora.settings().rank());
                if (lora != null) {
                    out.writeFloat(lora.settings().alpha());
                    out.writeUTF(lora.settings().targetList());
                }
                List<Param> ps = t.weights().params();
                out.writeInt(ps.size());
                for (int i = 0; i < ps.size(); i++) {
                    Param p = ps.get(i);
                    out.writeUTF(p.name);
                    out.writeInt(p.size());
                    writeFloats(out, p.w);
                    if (lora == null) {
                        writeFloats(out, t.optimizer.m[i]);
                        writeFloats(out, t.optimizer.v[i]);
                    }
                }
                if (lora != null) {
                    List<Param> ad = lora.params();
                    out.writeInt(ad.size());
                    for (int i = 0; i < ad.size(); i++) {
                        Param p = ad.get(i);
                        out.writeUTF(p.name);
                        out.writeInt(p.size());
                        writeFloats(out, p.w);
                        writeFloats(out, t.optimizer.m[i]);
                        writeFloats(out, t.optimizer.v[i]);
                    }
                }
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Restores a trainer exactly as it was saved. */
    public static Trainer load(Path path) throws IOException {
        if (!Files.isRegularFile(path)) throw new PonderException("no checkpoint at " + path);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 1 << 20))) {
            if (in.readLong() != MAGIC) throw new PonderException(path + " is not a Ponder training checkpoint");
            int version = in.readInt();
            if (version != 1 && version != VERSION)
                throw new PonderException(path + " is checkpoint version " + version + "; this build reads versions 1 and " + VERSION);
            LlamaConfig c = new LlamaConfig(in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readFloat(), in.readFloat(), in.readBoolean());
            TrainConfig tc = new TrainConfig(in.readInt(), in.readFloat(), in.readFloat(), in.readInt(), in.readFloat(),
                    in.readFloat(), in.readFloat(), in.readFloat(), in.readFloat(), in.readInt());
            long steps = in.readLong(), nanos = in.readLong(), dataSeed = in.readLong(), dataFingerprint = in.readLong();
            int hn = in.readInt();
            List<StepRecord> history = new ArrayList<>(hn);
            for (int i = 0; i < hn; i++)
                history.add(new StepRecord(in.readLong(), in.readDouble(), in.readFloat(), in.readDouble(), in.readInt(), in.readLong()));
            int rank = version == 1 ? 0 : in.readInt();
            LlamaWeights w = new LlamaWeights(c);
            Lora lora = rank == 0 ? null : new Lora(w, new Lora.Settings(rank, in.readFloat(), Lora.Target.parse(in.readUTF())), 0);
            Trainer t = new Trainer(w, tc, lora);
            t.optimizer.t = steps;
            t.data(dataSeed, dataFingerprint);
            t.restoreHistory(history, nanos);
            readTensors(in, path, w.params(), lora == null ? t.optimizer : null);
            if (lora != null) readTensors(in, path, lora.params(), t.optimizer);
            return t;
        } catch (EOFException e) {
            throw new PonderException("checkpoint " + path + " is truncated", e);
        }
    }

    /** Reads {@code ps} in order, each with its AdamW moments when {@code moments} is non-null. */
    private static void readTensors(DataInputStream in, Path path, List<Param> ps, AdamW moments) throws IOException {
        int count = in.readInt();
        if (count != ps.size()) throw new PonderException(path + ": checkpoint has " + count + " tensors, the model " + ps.size());
        for (int i = 0; i < count; i++) {
            Param p = ps.get(i);
            String name = in.readUTF();
            int size = in.readInt();
            if (!name.equals(p.name) || size != p.size())
                throw new PonderException(path + ": checkpoint tensor " + name + " (" + size + ") does not match " + p);
            readFloats(in, p.w);
            if (moments != null) {
                readFloats(in, moments.m[i]);
                readFloats(in, moments.v[i]);
            }
        }
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(a);
        out.write(buf.array());
    }

    private static void readFloats(DataInputStream in, float[] a) throws IOException {
        byte[] b = new byte[a.length * 4];
        in.readFully(b);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a);
    }
}
