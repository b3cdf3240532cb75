package org.cnn4j.cli;

import org.cnn4j.distributed.Collective;
import org.cnn4j.distributed.CollectiveException;
import org.cnn4j.distributed.ReduceOp;
import org.cnn4j.distributed.RingEnvironment;

/**
 * A worker for {@link LocalLauncherTest}: joins the ring from its environment, all-reduces rank + 1 and prints the
 * sum; with argument {@code die=R}, rank R exits with status 3 after joining, as a crashed worker would.
 */
public final class RingWorkerMain {
    private RingWorkerMain() {
    }

    public static void main(String[] args) {
        RingEnvironment env = RingEnvironment.from(System.getenv()).orElseThrow();
        int dying = args.length > 0 && args[0].startsWith("die=") ? Integer.parseInt(args[0].substring(4)) : -1;
        try (Collective c = env.join()) {
            if (c.rank() == dying) {
                System.exit(3);
            }
            float[] v = {c.rank() + 1};
            c.allReduce(v, ReduceOp.SUM);
            System.out.println("rank " + c.rank() + " sum " + v[0]);
        } catch (CollectiveException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
